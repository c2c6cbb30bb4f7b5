"""A project mistake: an unannotated parameter (discovered only in broken_settings)."""

from mizan_gql import client


@client
def broken_lookup(request, user_id) -> str:
    return str(user_id)
