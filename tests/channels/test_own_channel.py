"""A socket's own layer channel: opened when a subscription of yours listens to it.

mizan_gql's subscriptions receive through the process's hub, so a socket opens its own
Channels layer channel only for Strawberry's ``listen_to_channel()`` (or ``open_channel()``).
"""

import asyncio
from collections.abc import AsyncGenerator

import pytest
import strawberry
from channels.layers import get_channel_layer

from .conftest import LEGACY, TRANSPORT

pytestmark = pytest.mark.django_db(transaction=True)

PINGS = "subscription { pings }"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def pings(self, info: strawberry.Info) -> AsyncGenerator[str, None]:
        ws = info.context["ws"]
        async with ws.listen_to_channel("test.ping", groups=["test_pings"]) as messages:
            async for message in messages:
                yield message["text"]

    @strawberry.subscription
    async def direct(self, info: strawberry.Info) -> AsyncGenerator[str, None]:
        ws = info.context["ws"]
        async with ws.listen_to_channel("test.direct") as messages:
            yield await ws.open_channel()  # the client sends to it (through the layer)
            async for message in messages:
                yield message["text"]


@pytest.fixture(autouse=True)
def own_subscription(settings):
    settings.MIZAN = {"SUBSCRIPTION": "tests.channels.test_own_channel.Subscription"}


async def pinging() -> None:
    """Ping the group until cancelled: the subscription joins it asynchronously."""
    while True:
        await get_channel_layer().group_send("test_pings", {"type": "test.ping", "text": "hi"})
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_listen_to_channel_with_groups_receives_group_messages(sockets, protocol):
    socket = await sockets(protocol)
    await socket.subscribe("p", PINGS)

    pings = asyncio.create_task(pinging())
    try:
        assert (await socket.next("p"))["data"] == {"pings": "hi"}
        assert (await socket.next("p"))["data"] == {"pings": "hi"}  # and keeps receiving
    finally:
        pings.cancel()


async def test_open_channel_gives_a_channel_that_messages_reach(sockets):
    socket = await sockets()
    await socket.subscribe("d", "subscription { direct }")
    channel = (await socket.next("d"))["data"]["direct"]
    assert channel  # the socket's own channel name

    await get_channel_layer().send(channel, {"type": "test.direct", "text": "to you"})
    assert (await socket.next("d"))["data"] == {"direct": "to you"}

    # A second socket gets a channel of its own.
    other = await sockets()
    await other.subscribe("d", "subscription { direct }")
    assert (await other.next("d"))["data"]["direct"] != channel
