"""ReactChannel subscriptions over the WebSocket: delivery, auth, params, groups."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from pydantic import ValidationError

from mizan_gql import ReactChannel
from tests.channels.conftest import until_listening
from tests.channels_app.mizan_clients import (
    AUTHORIZE_SEEN,
    ChatChannel,
    NewsChannel,
    StaffNewsChannel,
)

pytestmark = pytest.mark.django_db(transaction=True)

CHAT = "subscription($room: String!) { chatChannel(room: $room) { text author } }"
NEWS = "subscription { newsChannel { headline } }"
STAFF = "subscription($topic: String!) { staffNewsChannel(topic: $topic) { headline } }"


async def test_subscriber_receives_broadcasts_of_its_group_only(sockets, session_cookie):
    _, cookies = await session_cookie("ann")
    socket = await sockets(cookies=cookies)
    await socket.subscribed("1", CHAT, {"room": "lobby"})

    await ChatChannel.abroadcast({"room": "elsewhere"}, {"text": "not for you"})
    await ChatChannel.abroadcast({"room": "lobby"}, {"text": "hi", "author": "srv"})
    assert await socket.next("1") == {"data": {"chatChannel": {"text": "hi", "author": "srv"}}}
    await socket.nothing()


async def test_sync_broadcast_from_a_thread_and_async_hooks(sockets):
    socket = await sockets()
    await socket.subscribed("n", NEWS)
    await sync_to_async(NewsChannel.broadcast, thread_sensitive=False)("news", {"headline": "x"})
    assert await socket.next("n") == {"data": {"newsChannel": {"headline": "x"}}}


async def test_anonymous_subscribe_is_refused_and_gets_nothing(sockets):
    socket = await sockets()
    await socket.subscribe("1", CHAT, {"room": "lobby"})
    message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "1"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["UNAUTHENTICATED"]
    await ChatChannel.abroadcast({"room": "lobby"}, {"text": "secret"})
    await socket.nothing()


async def test_authorize_sees_the_session_user_and_refuses_with_forbidden(sockets, session_cookie):
    _, cookies = await session_cookie("bob")
    socket = await sockets(cookies=cookies)
    AUTHORIZE_SEEN.clear()
    await socket.subscribe("1", STAFF, {"topic": "pay"})
    message = await socket.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    assert AUTHORIZE_SEEN == ["bob"]
    await StaffNewsChannel.abroadcast({"topic": "pay"}, {"headline": "raises"})
    await socket.nothing()


async def test_staff_session_is_authorized(sockets, session_cookie):
    _, cookies = await session_cookie("stan", staff=True)
    socket = await sockets(cookies=cookies)
    await socket.subscribed("1", STAFF, {"topic": "pay"})
    await StaffNewsChannel.abroadcast({"topic": "pay"}, {"headline": "raises"})
    assert await socket.next("1") == {"data": {"staffNewsChannel": {"headline": "raises"}}}


async def test_invalid_params_are_bad_user_input(sockets, session_cookie):
    _, cookies = await session_cookie("ann")
    socket = await sockets(cookies=cookies)
    await socket.subscribe("1", CHAT, {"room": ""})
    message = await socket.receive()
    assert message["type"] == "error"
    error = message["payload"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["path"] == ["room"]
    # A missing argument is refused by GraphQL validation: the socket stays usable.
    await socket.subscribe("2", "subscription { chatChannel { text } }")
    message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "2"


async def test_bad_message_raises_at_the_sender_and_reaches_nobody(sockets):
    socket = await sockets()
    await socket.subscribed("n", NEWS)
    with pytest.raises(ValidationError):
        await NewsChannel.abroadcast("news", {"headline": ["not", "text"]})
    with pytest.raises(ValidationError):
        await NewsChannel.abroadcast("news", {"title": "wrong field"})
    with pytest.raises(ValidationError):
        await ChatChannel.abroadcast({"room": ""}, {"text": "bad params"})
    await socket.nothing()


async def test_ending_one_subscription_keeps_the_group_alive_for_the_others(sockets):
    first = await sockets()
    second = await sockets()
    await first.subscribed("a", NEWS)
    await first.subscribed("b", NEWS)
    await second.subscribed("c", NEWS)

    await until_listening(3)
    await first.complete("a")
    await until_listening(2)
    await NewsChannel.abroadcast("news", {"headline": "one"})
    assert (await first.next("b"))["data"]["newsChannel"]["headline"] == "one"
    assert (await second.next("c"))["data"]["newsChannel"]["headline"] == "one"
    await first.nothing()

    await second.disconnect()  # a whole socket going away
    await until_listening(1)
    await NewsChannel.abroadcast("news", {"headline": "two"})
    assert (await first.next("b"))["data"]["newsChannel"]["headline"] == "two"


async def test_send_mutation_runs_receive_with_the_sender(sockets, session_cookie):
    _, ann = await session_cookie("ann")
    _, bob = await session_cookie("bob")
    listener = await sockets(cookies=ann)
    sender = await sockets(cookies=bob)
    await listener.subscribed("1", CHAT, {"room": "r"})
    await sender.subscribe(
        "m",
        'mutation { chatChannelSend(room: "r", message: {text: "yo"}) }',
    )
    assert await sender.next("m") == {"data": {"chatChannelSend": True}}
    assert await listener.next("1") == {"data": {"chatChannel": {"text": "yo", "author": "bob"}}}


async def test_send_mutation_validates_and_authorizes(gql, sockets):
    body = await gql.execute('mutation { chatChannelSend(room: "r", message: {text: "x"}) }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await gql.execute('mutation { chatChannelSend(room: "r", message: {text: ""}) }')
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["path"] == ["message", "text"]


async def test_queries_over_the_socket_get_a_request_like_a_view(sockets, session_cookie):
    _, cookies = await session_cookie("ann")
    socket = await sockets(cookies=cookies, headers=[(b"user-agent", b"pytest-ws")])
    query = "{ wsRequestInfo { username authenticated hasSession cookies userAgent host } }"
    await socket.subscribe("q", query)
    assert await socket.next("q") == {
        "data": {
            "wsRequestInfo": {
                "username": "ann",
                "authenticated": True,
                "hasSession": True,
                "cookies": ["sessionid"],
                "userAgent": "pytest-ws",
                "host": "testserver",
            }
        }
    }
    assert (await socket.receive())["type"] == "complete"


async def test_logout_stops_private_deliveries(sockets, session_cookie, settings):
    settings.MIZAN = {"WS_AUTH_RECHECK": 0}
    client, cookies = await session_cookie("ann")
    socket = await sockets(cookies=cookies)
    await socket.subscribed("1", CHAT, {"room": "r"})
    await ChatChannel.abroadcast({"room": "r"}, {"text": "before"})
    assert (await socket.next("1"))["data"]["chatChannel"]["text"] == "before"

    await sync_to_async(client.logout, thread_sensitive=True)()
    await ChatChannel.abroadcast({"room": "r"}, {"text": "after"})
    payload = await socket.next("1")
    assert payload["data"] is None
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await socket.receive())["type"] == "complete"
    await ChatChannel.abroadcast({"room": "r"}, {"text": "later"})
    await socket.nothing()


async def test_a_failing_hook_is_a_masked_error_logged_on_the_server(sockets, caplog):
    from pydantic import BaseModel

    from mizan_gql.registry import use_registry

    with use_registry():

        class BrokenChannel(ReactChannel):
            class DjangoMessage(BaseModel):
                text: str

            def authorize(self, params):
                raise RuntimeError("database password is hunter2")

        socket = await sockets()
        await socket.subscribe("1", "subscription { brokenChannel { text } }")
        message = await socket.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["message"] == "Internal server error"
    assert message["payload"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in str(message)
    assert any("hunter2" in str(r.exc_info) for r in caplog.records if r.exc_info)


async def test_a_hand_made_message_that_does_not_validate_is_dropped(sockets):
    from channels.layers import get_channel_layer

    socket = await sockets()
    await socket.subscribed("n", NEWS)
    group = NewsChannel.layer_group("news")
    bad = {"type": "mizan.channel.message", "group": group, "message": {"nope": 1}}
    await get_channel_layer().group_send(group, bad)
    await NewsChannel.abroadcast("news", {"headline": "fine"})
    assert await socket.next("n") == {"data": {"newsChannel": {"headline": "fine"}}}
    await socket.nothing()


async def test_without_channel_layers_an_in_memory_layer_is_the_default(sockets, settings):
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {}  # as if the setting were absent
    assert get_channel_layer() is None
    socket = await sockets()
    await socket.subscribed("n", NEWS)
    await NewsChannel.abroadcast("news", {"headline": "zero config"})
    assert await socket.next("n") == {"data": {"newsChannel": {"headline": "zero config"}}}
    assert get_channel_layer() is not None  # shared with the rest of the process


async def test_a_configured_set_without_default_is_a_clear_error(settings):
    from mizan_gql import ConfigurationError

    settings.CHANNEL_LAYERS = {"other": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    with pytest.raises(ConfigurationError, match="'default' Channels layer"):
        await NewsChannel.abroadcast("news", {"headline": "x"})
