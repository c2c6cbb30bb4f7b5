"""One execution per broadcast and operation: subscribers still get their own results."""

from __future__ import annotations

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry_django.optimizer import DjangoOptimizerExtension

from mizan_gql.schema.engine import extensions_allow_sharing, shareable
from tests.channels.conftest import until_listening
from tests.channels_app.mizan_clients import NewsChannel

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN = "subscription { newsChannel { headline } }"
ALIASED = "subscription { newsChannel { title: headline __typename } }"
OPTIONAL = "subscription($x: Boolean!) { newsChannel { headline @include(if: $x) } }"


async def test_each_operation_gets_its_own_shape_on_one_socket_and_across_sockets(sockets):
    first, second = await sockets(), await sockets()
    await first.subscribed("plain", PLAIN)
    await first.subscribed("aliased", ALIASED)
    await second.subscribed("with", OPTIONAL, {"x": True})
    await second.subscribed("without", OPTIONAL, {"x": False})
    await second.subscribed("plain", PLAIN)
    await until_listening(5)

    for headline in ("one", "two"):
        await NewsChannel.abroadcast("news", {"headline": headline})
        got_first = {m["id"]: m["payload"] for m in [await first.receive() for _ in range(2)]}
        got_second = {m["id"]: m["payload"] for m in [await second.receive() for _ in range(3)]}
        assert got_first == {
            "plain": {"data": {"newsChannel": {"headline": headline}}},
            "aliased": {
                "data": {"newsChannel": {"title": headline, "__typename": "NewsChannelMessage"}}
            },
        }
        assert got_second == {
            "with": {"data": {"newsChannel": {"headline": headline}}},
            "without": {"data": {"newsChannel": {}}},
            "plain": {"data": {"newsChannel": {"headline": headline}}},
        }
    await first.nothing()
    await second.nothing()


async def test_ending_one_of_the_sharing_subscriptions_keeps_the_others_served(sockets):
    first, second = await sockets(), await sockets()
    await first.subscribed("1", PLAIN)
    await second.subscribed("1", PLAIN)
    await NewsChannel.abroadcast("news", {"headline": "a"})
    assert await first.next("1") == {"data": {"newsChannel": {"headline": "a"}}}
    assert await second.next("1") == {"data": {"newsChannel": {"headline": "a"}}}
    await first.complete("1")
    await until_listening(1)
    await NewsChannel.abroadcast("news", {"headline": "b"})
    assert await second.next("1") == {"data": {"newsChannel": {"headline": "b"}}}
    await first.nothing()


class _Staff(BasePermission):
    message = "no"

    def has_permission(self, source, info, **kwargs):
        return False


@strawberry.type
class _Plain:
    a: int
    b: list[str | None]


@strawberry.type
class _Resolved:
    @strawberry.field
    def who(self, info: strawberry.Info) -> str:
        return str(info.context)


@strawberry.type
class _Guarded:
    secret: str = strawberry.field(permission_classes=[_Staff])


@strawberry.type
class _Nested:
    inner: list[_Resolved]


def test_only_types_that_resolve_their_own_attributes_share_results():
    assert shareable(_Plain)
    assert not shareable(_Resolved)
    assert not shareable(_Guarded)
    assert not shareable(_Nested)


def test_an_extension_wrapping_field_resolution_turns_sharing_off():
    class PerUser(SchemaExtension):
        def resolve(self, _next, root, info, *args, **kwargs):
            return _next(root, info, *args, **kwargs)

    class Harmless(SchemaExtension):
        def on_execute(self):
            yield

    assert extensions_allow_sharing(
        [Harmless, DjangoOptimizerExtension, DjangoOptimizerExtension()]
    )
    assert not extensions_allow_sharing([Harmless, PerUser])
    assert not extensions_allow_sharing([PerUser()])
