"""``Subscription.mizanInvalidations``: the invalidations a socket may hear of, and no others.

Contexts of the test apps used here: ``ctx_user`` (public, ``user_id``), ``ctx_pair``
(public, ``a`` and ``b``), ``ctx_note`` (private, ``topic``), ``ctx_me`` (private, no
parameters) and ``pq_secret`` (private, ``auth=True``).

"Nothing else arrives" is checked without waiting: after what must not arrive, the test
publishes a marker the socket does receive; a group delivers in order, so the marker being
next proves the first never came.
"""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from mizan_gql import ainvalidate, invalidate
from mizan_gql.channels.invalidations import MAX_HELD
from mizan_gql.contexts import invalidation

pytestmark = pytest.mark.django_db(transaction=True)

ALL = "subscription { mizanInvalidations { context params header } }"
NAMED = "subscription($c: [String!]) { mizanInvalidations(contexts: $c) { context params } }"
HOLDING = """subscription($h: [MizanHeldEntry!]) {
  mizanInvalidations(holding: $h) { context params header }
}"""
TOUCH = "mutation($t: String!) { ctxTouch(topic: $t) }"
HELD_MARKER = {"context": "ctx_user", "params": {"user_id": 999}}
MARKER = {**HELD_MARKER, "cache": "public"}


async def listening(sockets, query, variables=None, **options):
    socket = await sockets(**options)
    await socket.subscribed("i", query, variables)
    return socket


async def publish(*entries):
    await get_channel_layer().group_send(
        "mizan.invalidations", {"type": "mizan.invalidate", "entries": list(entries)}
    )


async def received(socket) -> dict:
    return (await socket.next("i"))["data"]["mizanInvalidations"]


async def only_the_marker_follows(*sockets) -> None:
    """Each socket's next event is the marker: nothing published before it reached them."""
    await publish(MARKER)
    for socket in sockets:
        assert (await received(socket))["params"] == {"user_id": 999}


async def run_mutation(socket, query, variables) -> dict:
    await socket.subscribe("m", query, variables)
    result = await socket.next("m")
    assert (await socket.receive())["type"] == "complete"
    return result


async def test_each_entry_of_a_published_event_is_one_event(sockets):
    socket = await listening(sockets, ALL)
    await publish(
        {"context": "ctx_user", "params": {"user_id": 5}, "cache": "public"},
        {"context": "ctx_me", "params": {}, "cache": "private"},
    )
    assert await received(socket) == {
        "context": "ctx_user",
        "params": {"user_id": 5},
        "header": "ctx_user;user_id=5",
    }
    assert await received(socket) == {"context": "ctx_me", "params": {}, "header": "ctx_me"}


async def test_only_the_named_contexts_are_streamed(sockets):
    socket = await listening(sockets, NAMED, {"c": ["ctx_pair"]})
    await publish({"context": "ctx_user", "params": {"user_id": 5}, "cache": "public"})
    await publish({"context": "ctx_pair", "params": {"a": "x"}, "cache": "public"})
    assert await received(socket) == {"context": "ctx_pair", "params": {"a": "x"}}
    await publish({"context": "ctx_user", "params": {"user_id": 6}, "cache": "public"})
    await publish({"context": "ctx_pair", "params": {}, "cache": "public"})
    assert await received(socket) == {"context": "ctx_pair", "params": {}}


async def test_malformed_entries_are_skipped(sockets):
    socket = await listening(sockets, ALL)
    await publish("junk", {"params": {}}, {"context": "ctx_me", "params": "nope"})
    await publish({"context": "ctx_me", "params": {}})
    assert (await received(socket))["context"] == "ctx_me"
    await only_the_marker_follows(socket)


async def test_invalidate_from_code_reaches_subscribers(sockets):
    socket = await listening(sockets, NAMED, {"c": ["ctx_user"]})
    await ainvalidate("ctx_user", user_id=7)
    await sync_to_async(invalidate, thread_sensitive=False)("ctx_user")
    assert await received(socket) == {"context": "ctx_user", "params": {"user_id": 7}}
    assert await received(socket) == {"context": "ctx_user", "params": {}}


async def test_what_one_user_typed_reaches_only_sockets_holding_that_entry(sockets, session_cookie):
    _, alice_cookies = await session_cookie("alice")
    _, bob_cookies = await session_cookie("bob")
    mine = {"h": [{"context": "ctx_note", "params": {"topic": "alice's plans"}}, HELD_MARKER]}
    other = {"h": [{"context": "ctx_note", "params": {"topic": "bob's"}}, HELD_MARKER]}
    alice = await listening(sockets, HOLDING, mine, cookies=alice_cookies)
    bob = await listening(sockets, HOLDING, other, cookies=bob_cookies)
    stranger = await listening(sockets, ALL)  # asks for everything, holds nothing of it
    by_name = await listening(sockets, NAMED, {"c": ["ctx_note", "ctx_user"]})

    writer = await sockets(cookies=alice_cookies)
    result = await run_mutation(writer, TOUCH, {"t": "alice's plans"})
    assert result["data"] == {"ctxTouch": True}
    mine = {
        "context": "ctx_note",
        "params": {"topic": "alice's plans"},
        "header": "ctx_note;topic=alice%27s%20plans",
    }
    # ctx_touch invalidates the note twice: each call is published.
    assert [await received(alice), await received(alice)] == [mine, mine]
    # ctx_touch also invalidated the whole (private, parameterless) ctx_me: everybody's own
    # entry changed, so everybody asking for it hears of it, the value-free way.
    assert await received(stranger) == {"context": "ctx_me", "params": {}, "header": "ctx_me"}
    await only_the_marker_follows(alice, bob, stranger, by_name)


async def test_a_whole_private_context_reaches_those_holding_it_by_name(sockets):
    socket = await listening(sockets, NAMED, {"c": ["ctx_note"]})
    await ainvalidate("ctx_note", topic="someone's")
    await ainvalidate("ctx_note")
    assert await received(socket) == {"context": "ctx_note", "params": {}}


async def test_public_entries_reach_whoever_holds_the_context(sockets):
    socket = await listening(sockets, HOLDING, {"h": [{"context": "ctx_pair"}]})
    await ainvalidate("ctx_pair", a="x", b="y")
    assert (await received(socket))["params"] == {"a": "x", "b": "y"}


async def test_an_entry_held_with_parameters_hears_of_its_own_and_coarser_ones(sockets):
    held = {"h": [{"context": "ctx_pair", "params": {"a": "x", "b": "y"}}, HELD_MARKER]}
    socket = await listening(sockets, HOLDING, held)
    await ainvalidate("ctx_pair", a="x", b="other")
    await ainvalidate("ctx_pair", a="x")  # every entry with a=x: one of them is held
    await ainvalidate("ctx_pair", a="x", b="y")
    assert (await received(socket))["params"] == {"a": "x"}
    assert (await received(socket))["params"] == {"a": "x", "b": "y"}
    await only_the_marker_follows(socket)


async def test_a_context_whose_functions_need_a_user_is_not_streamed_to_anonymous(
    sockets, session_cookie
):
    _, cookies = await session_cookie("carol")
    wanted = {"c": ["pq_secret", "ctx_user"]}
    anonymous = await listening(sockets, NAMED, wanted)
    signed_in = await listening(sockets, NAMED, wanted, cookies=cookies)
    await ainvalidate("pq_secret")
    assert await received(signed_in) == {"context": "pq_secret", "params": {}}
    await only_the_marker_follows(anonymous, signed_in)


async def test_after_a_logout_the_stream_stops_what_needed_the_user(
    sockets, session_cookie, settings
):
    settings.MIZAN = {"WS_AUTH_RECHECK": 0}
    client, cookies = await session_cookie("dave")
    socket = await listening(sockets, NAMED, {"c": ["pq_secret", "ctx_user"]}, cookies=cookies)
    await ainvalidate("pq_secret")
    assert (await received(socket))["context"] == "pq_secret"

    await sync_to_async(client.logout, thread_sensitive=True)()
    await ainvalidate("pq_secret")
    await only_the_marker_follows(socket)


async def test_unknown_contexts_are_never_streamed(sockets):
    socket = await listening(sockets, NAMED, {"c": ["no_such_context", "ctx_user"]})
    await publish({"context": "no_such_context", "params": {}, "cache": "public"})
    await only_the_marker_follows(socket)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"h": [{"context": "ctx_pair"}] * (MAX_HELD + 1)}, f"Hold at most {MAX_HELD} entries."),
        ({"h": [{"context": "ctx_pair", "params": [1]}]}, "must be an object"),
    ],
)
async def test_what_a_client_says_it_holds_is_checked(sockets, variables, message):
    socket = await sockets()
    await socket.subscribe("i", HOLDING, variables)
    error = await socket.receive()
    assert error["type"] == "error", error
    [problem] = error["payload"]
    assert message in problem["message"]
    assert problem["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_oversized_parameter_invalidates_the_whole_context(sockets, caplog, monkeypatch):
    monkeypatch.setattr(invalidation, "_warned_too_long", set())  # as in a fresh process
    socket = await listening(sockets, NAMED, {"c": ["ctx_pair"]})
    await ainvalidate("ctx_pair", a="x" * 40_000, b="y")
    await ainvalidate("ctx_pair", a="y" * 200_000, b="y")
    assert await received(socket) == {"context": "ctx_pair", "params": {}}
    assert await received(socket) == {"context": "ctx_pair", "params": {}}
    warnings = [r.getMessage() for r in caplog.records if "'ctx_pair'" in r.getMessage()]
    assert len(warnings) == 1 and "whole context is invalidated" in warnings[0]
