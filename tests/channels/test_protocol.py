"""Protocol hygiene on both subprotocols: close codes, limits and malformed messages."""

from __future__ import annotations

import json
import logging

import pytest

from tests.channels.conftest import HANDSHAKE_REFUSED, LEGACY, TRANSPORT, until_listening
from tests.channels_app.mizan_clients import NewsChannel

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = "subscription { newsChannel { headline } }"


async def test_init_timeout_closes_with_4408(sockets, settings):
    settings.MIZAN = {"WS_CONNECTION_INIT_TIMEOUT": 0.2}
    socket = await sockets(init=False)
    assert await socket.closed_with() == 4408


async def test_legacy_protocol_has_an_init_timeout_too(sockets, settings):
    settings.MIZAN = {"WS_CONNECTION_INIT_TIMEOUT": 0.2}
    socket = await sockets(LEGACY, init=False)
    assert await socket.closed_with() == 4408


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_subscribe_before_ack_closes_with_4401(sockets, protocol):
    socket = await sockets(protocol, init=False)
    await socket.subscribe("1", NEWS)
    assert await socket.closed_with() == 4401


async def test_legacy_subscribe_after_a_refused_init_is_refused(sockets):
    socket = await sockets(LEGACY, init=False)
    await socket.send({"type": "connection_init", "payload": "not an object"})
    assert (await socket.receive())["type"] == "connection_error"
    assert await socket.closed_with() == 1000


async def test_duplicate_init_closes_with_4429(sockets):
    socket = await sockets()
    await socket.send({"type": "connection_init"})
    assert await socket.closed_with() == 4429


async def test_duplicate_id_closes_with_4409(sockets):
    socket = await sockets()
    await socket.subscribe("same", NEWS)
    await socket.subscribe("same", NEWS)
    assert await socket.closed_with() == 4409


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '"a string"',
        '{"no": "type"}',
        '{"type": "nonsense"}',
        '{"type": "subscribe", "id": "1"}',
        '{"type": "subscribe", "id": "1", "payload": "query"}',
        '{"type": "subscribe", "id": 7, "payload": {"query": "{ __typename }"}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": 5}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "variables": [1]}}',
        # Falsy values of the wrong type are still the wrong type.
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "variables": []}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "variables": 0}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "operationName": 0}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "operationName": false}}',
        '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "extensions": 5}}',
        '{"type": "complete"}',
        # A lone surrogate (not Unicode text) and nesting deeper than json.loads can go.
        pytest.param(
            '{"type": "subscribe", "id": "1", "payload": {"query": "{ __typename } # \\ud800"}}',
            id="lone-surrogate",
        ),
        pytest.param(
            '{"type": "subscribe", "id": "1", "payload": {"query": "{ a }", "variables": '
            + "[" * 5_000
            + "]" * 5_000
            + "}}",
            id="deep-nesting",
        ),
    ],
)
async def test_invalid_messages_close_with_4400_without_server_errors(sockets, frame, caplog):
    socket = await sockets()
    with caplog.at_level(logging.WARNING):
        await socket.communicator.send_to(text_data=frame)
        assert await socket.closed_with() == 4400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1]",
        '{"type": 5}',
        '{"type": "start", "id": "1"}',
        '{"type": "start", "id": "1", "payload": {"query": null}}',
        '{"type": "start", "id": "1", "payload": {"query": "{ a }", "operationName": false}}',
        '{"type": "start", "id": "1", "payload": {"query": "{ a }", "variables": ""}}',
        '{"type": "stop"}',
    ],
)
async def test_legacy_invalid_messages_close_with_4400(sockets, frame, caplog):
    socket = await sockets(LEGACY)
    with caplog.at_level(logging.WARNING):
        await socket.communicator.send_to(text_data=frame)
        assert await socket.closed_with() == 4400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_broken_documents_are_coded_errors_and_the_socket_stays_open(sockets):
    socket = await sockets()
    await socket.subscribe("1", "subscription {")
    message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "1"
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    await socket.subscribe("2", "subscription { noSuchField }")
    message = await socket.receive()
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await socket.subscribe("3", "{ __typename }")
    assert await socket.next("3") == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"query": ""}, 'missing a "query"'),
        ({"query": NEWS, "operationName": "Other"}, 'Unknown operation named "Other"'),
        ({"query": "query Q { __typename }", "operationName": "Other"}, "Unknown operation"),
    ],
)
async def test_requests_without_an_operation_to_run_are_coded_errors(
    sockets, protocol, payload, words, caplog
):
    socket = await sockets(protocol)
    kind = "subscribe" if protocol == TRANSPORT else "start"
    with caplog.at_level(logging.WARNING):
        await socket.send({"type": kind, "id": "1", "payload": payload})
        message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "1"
    errors = message["payload"] if protocol == TRANSPORT else [message["payload"]]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_REQUEST"]
    assert words in errors[0]["message"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    await socket.subscribed("2", NEWS)  # the socket stays open and usable


@pytest.mark.parametrize(
    "document", ["{ __typename }", 'mutation { wsPublishNews(headline: "x") }']
)
async def test_legacy_protocol_runs_subscriptions_only(sockets, document, caplog):
    socket = await sockets(LEGACY)
    with caplog.at_level(logging.WARNING):
        await socket.subscribe("1", document)
        message = await socket.receive()
    assert message["type"] == "error"
    assert message["payload"]["extensions"]["code"] == "BAD_REQUEST"
    assert "are not allowed" in message["payload"]["message"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_oversized_frames_close_with_4413(sockets, settings):
    settings.MIZAN = {"WS_MAX_MESSAGE_SIZE": 1000}
    socket = await sockets()
    await socket.subscribe("1", "{ __typename }" + " " * 2000)
    assert await socket.closed_with() == 4413


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_subscription_cap_ignores_completed_ones_and_spares_other_sockets(
    sockets, settings, protocol
):
    settings.MIZAN = {"WS_MAX_SUBSCRIPTIONS": 3}
    flooder = await sockets(protocol)
    other = await sockets()
    await other.subscribed("o", NEWS)
    for n in range(200):  # a flood: only the first three run
        await flooder.subscribe(str(n), NEWS)
    refused = [await flooder.receive() for _ in range(197)]
    assert {m["type"] for m in refused} == {"error"}
    assert sorted(int(m["id"]) for m in refused) == list(range(3, 200))
    assert "Subscription limit reached" in json.dumps(refused[0]["payload"])

    await until_listening(4)
    await flooder.complete("0")
    if protocol == LEGACY:
        assert (await flooder.receive())["type"] == "complete"
    await until_listening(3)
    await flooder.subscribed("again", NEWS)  # the completed one freed its place
    await NewsChannel.abroadcast("news", {"headline": "h"})
    delivered = [await flooder.receive() for _ in range(3)]
    assert sorted(m["id"] for m in delivered) == ["1", "2", "again"]
    assert {m["type"] for m in delivered} == ({"next"} if protocol == TRANSPORT else {"data"})
    assert (await other.next("o"))["data"] == {"newsChannel": {"headline": "h"}}
    # Nothing else came of the flood: the next broadcast is again one message per running
    # subscription (the cap leaves no room for the marker subscription of Socket.nothing).
    await NewsChannel.abroadcast("news", {"headline": "marker"})
    marked = [await flooder.next() for _ in range(3)]
    assert {m["data"]["newsChannel"]["headline"] for m in marked} == {"marker"}
    await flooder.complete("1")
    if protocol == LEGACY:
        assert (await flooder.receive())["type"] == "complete"
    await until_listening(3)
    await flooder.nothing()


@pytest.mark.parametrize(
    ("origin", "path"),
    [
        (b"http://evil.example", "/graphql"),
        (None, "/graphql"),
        (b"null", "/graphql"),
        (b"http://testserver", "/not-graphql"),
    ],
)
async def test_handshake_refused_for_foreign_or_missing_origin_and_other_paths(
    sockets, origin, path
):
    socket = await sockets(origin=origin, path=path, init=False)
    assert socket.refused_code == HANDSHAKE_REFUSED


async def test_allowed_origin_and_trailing_slash_connect(sockets):
    socket = await sockets(origin=b"http://localhost:3000", path="/graphql/")
    await socket.subscribe("q", "{ __typename }")
    assert await socket.next("q") == {"data": {"__typename": "Query"}}


async def test_legacy_protocol_delivers_after_init(sockets):
    socket = await sockets(LEGACY)
    await socket.subscribed("1", NEWS)
    await NewsChannel.abroadcast("news", {"headline": "old school"})
    assert await socket.next("1") == {"data": {"newsChannel": {"headline": "old school"}}}
    await socket.complete("1")
    assert (await socket.receive())["type"] == "complete"
