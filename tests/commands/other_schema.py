"""A plain Strawberry schema, exported by dotted path."""

import strawberry


@strawberry.type
class Query:
    other: str = "x"


schema = strawberry.Schema(query=Query)
