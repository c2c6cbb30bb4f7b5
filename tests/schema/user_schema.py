"""A project's own Strawberry root types and extension, merged into the mizan schema."""

from collections.abc import AsyncGenerator

import strawberry
import strawberry_django
from strawberry.extensions import SchemaExtension

from tests.testapp.types import AuthorType


@strawberry.type
class Query:
    @strawberry.field
    def user_hello(self, name: str = "world") -> str:
        return f"hello {name}"

    # The endpoint is async: ORM resolvers use strawberry_django.field, which runs them
    # in a thread (a plain strawberry.field would run on the event loop).
    @strawberry_django.field
    def first_author(self) -> AuthorType | None:
        from tests.testapp.models import Author

        return Author.objects.order_by("id").first()


@strawberry.type
class Mutation:
    @strawberry.mutation
    def user_ping(self) -> str:
        return "pong"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def user_ticks(self) -> AsyncGenerator[int, None]:
        yield 1


@strawberry.type
class Extra:
    value: int


class Stamp(SchemaExtension):
    """Adds ``extensions.stamp`` to every response."""

    def get_results(self) -> dict[str, str]:
        return {"stamp": "user-extension"}


@strawberry.type
class ClashingQuery:
    @strawberry.field
    def echo(self) -> str:
        return "mine"


@strawberry.type
class BrokenQuery:
    @strawberry.field
    def broken_count(self) -> int:
        return "sekrit-value"  # type: ignore[return-value]
