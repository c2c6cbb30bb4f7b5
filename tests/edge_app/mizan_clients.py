"""Functions of the edge test project: a public ``user`` context with a page, a mutation
that invalidates it, and a private global context.

``NAMES`` is the project's data (one server process); ``CALLS`` counts real computations.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from mizan_gql import ClientError, client

NAMES: dict[int, str] = {}
CALLS: Counter[str] = Counter()


class Profile(BaseModel):
    user_id: int
    display_name: str


class Visitor(BaseModel):
    authenticated: bool
    calls: int


def display_name(user_id: int) -> str:
    return NAMES.get(user_id, f"user {user_id}")


# A user's row changing (a rename in the admin) invalidates that user's profile; the
# manifest lists auth.User under "models".
@client(context="user", cache="public", ttl=600, depends_on={"auth.User": {"user_id": "id"}})
def user_profile(request, user_id: int) -> Profile:
    """A public profile: one cache entry per user, shared by everybody."""
    CALLS["user_profile"] += 1
    if user_id >= 1000:
        raise ClientError(f"No user {user_id}", code="NOT_FOUND")
    return Profile(user_id=user_id, display_name=display_name(user_id))


@client(mutation=True, invalidates=["user"])
def rename_user(request, user_id: int, name: str) -> Profile:
    NAMES[user_id] = name
    return Profile(user_id=user_id, display_name=name)


@client(context="global")
def current_visitor(request) -> Visitor:
    """Private (the default policy): never stored by a shared cache."""
    CALLS["current_visitor"] += 1
    return Visitor(authenticated=request.user.is_authenticated, calls=CALLS["current_visitor"])


@client(mutation=True, invalidates=["user"])
def forget_names(request) -> int:
    """Invalidates the whole ``user`` context (the mutation has no ``user_id``)."""
    count = len(NAMES)
    NAMES.clear()
    return count
