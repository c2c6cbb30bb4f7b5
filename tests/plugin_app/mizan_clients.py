from mizan_gql import client


@client(mutation=True)
def audited_rename(request, name: str) -> str:
    return name.upper()
