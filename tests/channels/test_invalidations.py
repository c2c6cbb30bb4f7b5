"""``Subscription.mizanInvalidations`` streams what the contexts publish."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from mizan_gql import ainvalidate, invalidate

pytestmark = pytest.mark.django_db(transaction=True)

ALL = "subscription { mizanInvalidations { context params header } }"
SOME = "subscription($c: [String!]) { mizanInvalidations(contexts: $c) { context params } }"


async def listening(sockets, query, variables=None):
    socket = await sockets()
    await socket.subscribed("i", query, variables)
    return socket


async def publish(*entries):
    await get_channel_layer().group_send(
        "mizan.invalidations", {"type": "mizan.invalidate", "entries": list(entries)}
    )


async def test_each_entry_of_a_published_event_is_one_event(sockets):
    socket = await listening(sockets, ALL)
    await publish(
        {"context": "user", "params": {"user_id": 5}},
        {"context": "news", "params": {}},
    )
    first = (await socket.next("i"))["data"]["mizanInvalidations"]
    second = (await socket.next("i"))["data"]["mizanInvalidations"]
    assert first == {"context": "user", "params": {"user_id": 5}, "header": "user;user_id=5"}
    assert second == {"context": "news", "params": {}, "header": "news"}


async def test_only_the_requested_contexts_are_streamed(sockets):
    socket = await listening(sockets, SOME, {"c": ["news"]})
    await publish({"context": "user", "params": {"user_id": 5}})
    await publish({"context": "news", "params": {"lang": "ar"}})
    payload = await socket.next("i")
    assert payload["data"]["mizanInvalidations"] == {"context": "news", "params": {"lang": "ar"}}
    await socket.nothing()


async def test_malformed_entries_are_skipped(sockets):
    socket = await listening(sockets, ALL)
    await publish("junk", {"params": {}}, {"context": "ok", "params": "nope"})
    await publish({"context": "ok", "params": {}})
    assert (await socket.next("i"))["data"]["mizanInvalidations"]["context"] == "ok"
    await socket.nothing()


async def test_invalidate_from_code_reaches_subscribers(sockets):
    socket = await listening(sockets, SOME, {"c": ["ws_profile"]})
    await ainvalidate("ws_profile", user_id=7)
    await sync_to_async(invalidate, thread_sensitive=False)("ws_profile")
    first = (await socket.next("i"))["data"]["mizanInvalidations"]
    second = (await socket.next("i"))["data"]["mizanInvalidations"]
    assert first == {"context": "ws_profile", "params": {"user_id": 7}}
    assert second == {"context": "ws_profile", "params": {}}
