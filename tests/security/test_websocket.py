"""WebSocket hygiene with the default settings: origin, init timeout, subscription cap,
frame size, and a logout that stops private deliveries; plus a slow subscriber."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from mizan_gql.conf import mizan_settings
from tests.channels.conftest import HANDSHAKE_REFUSED, LEGACY, TRANSPORT, until_listening
from tests.channels_app.mizan_clients import ChatChannel, NewsChannel

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = "subscription { newsChannel { headline } }"
CHAT = "subscription($room: String!) { chatChannel(room: $room) { text author } }"


def test_every_websocket_limit_is_on_by_default():
    assert mizan_settings.WS_CONNECTION_INIT_TIMEOUT == 10
    assert mizan_settings.WS_MAX_SUBSCRIPTIONS == 100
    assert mizan_settings.WS_MAX_MESSAGE_SIZE == 65536
    assert mizan_settings.WS_AUTH_RECHECK == 30


@pytest.mark.parametrize(
    "origin", [b"https://evil.example", b"null", None, b"http://testserver.evil.example"]
)
@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_foreign_origins_are_refused_at_the_handshake(sockets, origin, protocol):
    socket = await sockets(protocol, origin=origin, init=False)
    assert socket.refused_code == HANDSHAKE_REFUSED


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_silent_connections_are_closed_after_the_init_timeout(sockets, settings, protocol):
    settings.MIZAN = {"WS_CONNECTION_INIT_TIMEOUT": 0.3}
    socket = await sockets(protocol, init=False)
    assert await socket.closed_with() == 4408


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_nothing_runs_before_connection_init(sockets, protocol):
    socket = await sockets(protocol, init=False)
    await socket.subscribe("1", "{ whoami }")
    assert await socket.closed_with() == 4401


async def test_subscribe_flood_hits_the_default_cap(sockets):
    socket = await sockets()
    for n in range(120):
        await socket.subscribe(str(n), NEWS)
    refused = [await socket.receive() for _ in range(20)]
    assert {m["type"] for m in refused} == {"error"}
    assert "Subscription limit reached" in json.dumps(refused[0]["payload"])
    await until_listening(100)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_frames_over_the_default_size_close_the_socket(sockets, protocol):
    socket = await sockets(protocol)
    await socket.subscribe("1", "{ whoami }" + " " * 70_000)
    assert await socket.closed_with() == 4413


async def test_logout_stops_private_events(sockets, session_cookie, settings):
    settings.MIZAN = {"WS_AUTH_RECHECK": 0}
    client, cookies = await session_cookie("carol")
    socket = await sockets(cookies=cookies)
    await socket.subscribed("1", CHAT, {"room": "secret"})
    await ChatChannel.abroadcast({"room": "secret"}, {"text": "before"})
    assert (await socket.next("1"))["data"]["chatChannel"]["text"] == "before"
    await sync_to_async(client.logout, thread_sensitive=True)()
    await ChatChannel.abroadcast({"room": "secret"}, {"text": "after logout"})
    payload = await socket.next("1")
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await socket.receive())["type"] == "complete"
    await ChatChannel.abroadcast({"room": "secret"}, {"text": "later"})
    await socket.nothing()


async def test_the_first_operation_after_a_logout_ends_private_subscriptions(
    sockets, session_cookie
):
    """WS_AUTH_RECHECK stays at 30 s: the logout's mark, which the new operation finds,
    ends the subscription at its next message."""
    client, cookies = await session_cookie("dave")
    socket = await sockets(cookies=cookies)
    await socket.subscribed("chat", CHAT, {"room": "secret"})
    await sync_to_async(client.logout, thread_sensitive=True)()
    await socket.subscribe("who", "{ wsRequestInfo { authenticated } }")
    assert await socket.next("who") == {"data": {"wsRequestInfo": {"authenticated": False}}}
    assert await socket.receive() == {"type": "complete", "id": "who"}
    await ChatChannel.abroadcast({"room": "secret"}, {"text": "after logout"})
    payload = await socket.next("chat")
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await socket.receive() == {"type": "complete", "id": "chat"}


async def test_a_legacy_subscription_after_a_logout_is_refused(sockets, session_cookie):
    client, cookies = await session_cookie("erin")
    socket = await sockets(LEGACY, cookies=cookies)
    await sync_to_async(client.logout, thread_sensitive=True)()
    await socket.subscribe("chat", CHAT, {"room": "secret"})
    message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "chat"
    assert message["payload"]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_slow_subscriber_cannot_grow_server_memory(caplog):
    """The client stops reading: the server's sends block (as on a full TCP buffer under
    uvicorn/hypercorn) and the subscription keeps at most LOCAL_QUEUE_SIZE messages,
    dropping the oldest; a fast subscriber is not held back."""
    from mizan_gql.channels.hub import LOCAL_QUEUE_SIZE, get_hub
    from tests.channels_app.asgi import application

    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    slow = WebsocketCommunicator(application, "/graphql", headers, subprotocols=[TRANSPORT])
    slow.output_queue._maxsize = 20  # type: ignore[attr-defined]  # ~ a full socket buffer
    assert (await slow.connect(timeout=10))[0]
    await slow.send_json_to({"type": "connection_init"})
    assert (await slow.receive_json_from(10))["type"] == "connection_ack"
    await slow.send_json_to({"type": "subscribe", "id": "s", "payload": {"query": NEWS}})
    await until_listening(1)

    total = LOCAL_QUEUE_SIZE * 4
    with caplog.at_level(logging.WARNING, logger="mizan_gql.channels"):
        for n in range(total):
            await NewsChannel.abroadcast("news", {"headline": str(n)})
            if n % 50 == 0:
                await asyncio.sleep(0)  # let the hub deliver (the layer has a capacity)
        for _ in range(100):
            await asyncio.sleep(0.01)
        queues = [q for group in get_hub().listeners.values() for q in group]
        assert len(queues) == 1
        assert queues[0].qsize() <= LOCAL_QUEUE_SIZE  # bounded, however many were sent
    assert caplog.text.count("reads too slowly") == 1  # one warning, not one per message

    received = []
    while True:  # the client reads again: it gets the oldest few and the newest
        try:
            output = await asyncio.wait_for(slow.output_queue.get(), timeout=1)
        except TimeoutError:
            break
        message = json.loads(output["text"])
        received.append(int(message["payload"]["data"]["newsChannel"]["headline"]))
    assert received[-1] == total - 1  # the newest was kept
    assert len(received) <= LOCAL_QUEUE_SIZE + 30  # the rest was dropped, not buffered
    assert received == sorted(received)  # in order
    await slow.disconnect()
