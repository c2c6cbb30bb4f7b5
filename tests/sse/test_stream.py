"""``/graphql/stream`` on a real daphne process: the WebSocket transport's rules over SSE.

Origin (CSRF) checks, the session's user (anonymous refused where the WebSocket refuses it),
the CSRF check of mutations sent with the session cookie, ``WS_MAX_SUBSCRIPTIONS`` per
single-connection stream, reservations (lapse after ``WS_CONNECTION_INIT_TIMEOUT``, one
stream each, one user each), ``WS_MAX_MESSAGE_SIZE``; under WSGI a clear error.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.channels.test_sessions import APP, Browser, prepare_database
from tests.support.servers import ServerProcess, asgi_server
from tests.support.sse import Response, request

SETTINGS = "tests.sse.settings"
ORIGIN = "http://localhost:3000"
STREAM = "/graphql/stream"
NEWS = "subscription { newsChannel { headline } }"
CHAT = 'subscription { chatChannel(room: "r") { text author } }'
SEND = 'mutation { chatChannelSend(room: "r", message: {text: "hi"}) }'
EVENTS = {"Accept": "text/event-stream", "Origin": ORIGIN}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("sse")
    env = {"MIZAN_TEST_DB": str(tmp / "db.sqlite3")}
    prepare_database(env)
    with asgi_server(APP, SETTINGS, env=env, log=tmp / "daphne.log") as started:
        yield started


async def stream(server: ServerProcess, query: str, headers: dict | None = None) -> Response:
    """A distinct-connections stream of ``query``."""
    return await request(
        server.port, "POST", STREAM, {**EVENTS, **(headers or {})}, {"query": query}
    )


async def results_until_complete(response: Response) -> list:
    results = []
    while (event := await response.event()) is not None:
        name, data = event
        if name == "complete":
            return results
        results.append(data)
    raise AssertionError(f"the stream ended without complete after {results}")


async def test_a_query_streams_its_result_then_completes(server):
    response = await stream(server, "{ wsRequestInfo { authenticated } }")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert await results_until_complete(response) == [
        {"data": {"wsRequestInfo": {"authenticated": False}}}
    ]
    await response.close()


async def test_a_document_id_names_the_operation_to_stream(server):
    """GraphQL-over-HTTP's ``documentId`` (and Relay's ``doc_id``) instead of the text, for a
    document the server knows: here one registered the APQ way on the GraphQL endpoint."""
    query = "{ wsRequestInfo { authenticated } }"
    sha256 = hashlib.sha256(query.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": sha256}}
    registered = await request(
        server.port, "POST", "/graphql", {}, {"query": query, "extensions": persisted}
    )
    assert (await registered.json())["data"] == {"wsRequestInfo": {"authenticated": False}}
    for body in ({"documentId": f"sha256:{sha256}"}, {"doc_id": f"sha256:{sha256}"}):
        response = await request(server.port, "POST", STREAM, EVENTS, body)
        assert response.status == 200, body
        assert await results_until_complete(response) == [
            {"data": {"wsRequestInfo": {"authenticated": False}}}
        ]
        await response.close()
    response = await request(
        server.port, "POST", STREAM, EVENTS, {"documentId": "sha256:" + "0" * 64}
    )
    [result] = await results_until_complete(response)
    assert result["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    await response.close()
    response = await request(server.port, "POST", STREAM, EVENTS, {"variables": {}})
    assert response.status == 400  # neither a query nor a documentId
    await response.close()


async def test_validation_errors_are_next_events(server):
    response = await stream(server, "{ nope }")
    [result] = await results_until_complete(response)
    assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    await response.close()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({}, 403),  # no Origin, no Sec-Fetch-Site: not a same-origin browser request
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "http://127.0.0.1:1"}, 200),  # a host of ALLOWED_HOSTS
    ],
)
async def test_the_origin_rule_of_the_websocket(server, headers, status):
    response = await request(
        server.port,
        "POST",
        STREAM,
        {"Accept": "text/event-stream", **headers},
        {"query": "{ wsRequestInfo { authenticated } }"},
    )
    assert response.status == status
    if status == 403:
        body = await response.json()
        assert body["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
    await response.close()


async def test_anonymous_is_refused_where_the_websocket_refuses_it(server):
    response = await stream(server, CHAT)
    [result] = await results_until_complete(response)
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await response.close()


async def test_a_signed_in_session_subscribes_and_mutations_need_the_csrf_token(server):
    browser = Browser()
    await asyncio.to_thread(browser.login, server)
    cookie = {"Cookie": browser.cookie}
    chat = await stream(server, CHAT, cookie)
    try:
        # With the session cookie and no CSRF token, a mutation is refused as on /graphql.
        refused = await stream(server, SEND, cookie)
        [result] = await results_until_complete(refused)
        assert result["errors"][0]["extensions"]["code"] == "CSRF_FAILED"
        await refused.close()
        token = "a" * 32
        sent = await stream(
            server,
            SEND,
            {
                "Cookie": f"{browser.cookie}; csrftoken={token}",
                "X-CSRFToken": token,
                "Origin": f"http://127.0.0.1:{server.port}",
            },
        )
        assert await results_until_complete(sent) == [{"data": {"chatChannelSend": True}}]
        await sent.close()
        event = await chat.event()
        assert event == ("next", {"data": {"chatChannel": {"text": "hi", "author": "ann"}}})
    finally:
        await chat.close()


async def reserve(server: ServerProcess, headers: dict | None = None) -> str:
    response = await request(server.port, "PUT", STREAM, {"Origin": ORIGIN, **(headers or {})})
    assert response.status == 201
    token = (await response.body()).decode()
    await response.close()
    return token


async def operate(server: ServerProcess, token: str, op_id: str, query: str) -> int:
    response = await request(
        server.port,
        "POST",
        STREAM,
        {"Origin": ORIGIN, "X-GraphQL-Event-Stream-Token": token},
        {"query": query, "extensions": {"operationId": op_id}},
    )
    await response.body()
    await response.close()
    return response.status


async def test_single_connection_limits_operations_per_stream(server):
    token = await reserve(server)
    events = await request(
        server.port, "GET", STREAM, {**EVENTS, "X-GraphQL-Event-Stream-Token": token}
    )
    try:
        assert events.status == 200
        assert await operate(server, token, "1", NEWS) == 202
        assert await operate(server, token, "2", NEWS) == 202
        assert await operate(server, token, "3", NEWS) == 202  # WS_MAX_SUBSCRIPTIONS = 2
        assert await events.event() == (
            "next",
            {
                "id": "3",
                "payload": {
                    "errors": [
                        {
                            "message": "Subscription limit reached",
                            "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"},
                        }
                    ]
                },
            },
        )
        assert await events.event() == ("complete", {"id": "3"})
        # Stopping one frees its place.
        stop = await request(
            server.port,
            "DELETE",
            f"{STREAM}?operationId=1",
            {"Origin": ORIGIN, "X-GraphQL-Event-Stream-Token": token},
        )
        assert stop.status == 200
        await stop.close()
        assert await operate(server, token, "4", "{ wsRequestInfo { authenticated } }") == 202
        assert await events.event() == (
            "next",
            {"id": "4", "payload": {"data": {"wsRequestInfo": {"authenticated": False}}}},
        )
        assert await events.event() == ("complete", {"id": "4"})
    finally:
        await events.close()


async def test_a_reservation_has_one_stream_and_one_user(server):
    token = await reserve(server)
    headers = {**EVENTS, "X-GraphQL-Event-Stream-Token": token}
    first = await request(server.port, "GET", STREAM, headers)
    second = await request(server.port, "GET", STREAM, headers)
    assert (first.status, second.status) == (200, 409)
    await second.close()
    browser = Browser()
    await asyncio.to_thread(browser.login, server)
    other_user = await request(server.port, "GET", STREAM, {**headers, "Cookie": browser.cookie})
    assert other_user.status == 403
    await other_user.close()
    await first.close()
    # The stream gone, the reservation is forgotten.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        again = await request(server.port, "GET", STREAM, headers)
        await again.close()
        if again.status == 404:
            break
        await asyncio.sleep(0.05)
    assert again.status == 404


async def test_a_reservation_not_taken_lapses(server):
    token = await reserve(server)  # WS_CONNECTION_INIT_TIMEOUT = 1
    headers = {"Origin": ORIGIN, "X-GraphQL-Event-Stream-Token": token}
    statuses = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # A DELETE does not take the reservation: 200 while it holds, 404 once it lapsed.
        response = await request(server.port, "DELETE", f"{STREAM}?operationId=x", headers)
        await response.close()
        statuses.append(response.status)
        if response.status == 404:
            break
        await asyncio.sleep(0.1)
    assert statuses[0] == 200 and statuses[-1] == 404, statuses


async def test_a_body_over_ws_max_message_size_is_refused(server):
    response = await stream(server, "{ wsRequestInfo { authenticated } }" + " " * 4000)
    assert response.status == 413
    await response.close()


def test_under_wsgi_the_stream_answers_a_clear_error(client):
    response = client.post(STREAM, {"query": NEWS}, content_type="application/json", headers=EVENTS)
    assert response.status_code == 501
    assert response.json()["errors"][0]["extensions"]["code"] == "ASGI_REQUIRED"


def rename(server: ServerProcess, user_id: int) -> None:
    body = json.dumps(
        {
            "query": 'mutation($u: Int!) { ctxRename(userId: $u, displayName: "x") { userId } }',
            "variables": {"u": user_id},
        }
    ).encode()
    http_request = urllib.request.Request(
        f"{server.url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(http_request, timeout=10) as response:
        assert "errors" not in json.loads(response.read())


async def test_mizan_invalidations_streams_only_the_entries_held(server):
    held = '[{context: "ctx_user", params: {user_id: 5}}]'
    response = await stream(
        server, f"subscription {{ mizanInvalidations(holding: {held}) {{ context params }} }}"
    )
    try:
        event = None
        for _ in range(50):  # until the subscription has joined the group
            await asyncio.to_thread(rename, server, 5)
            try:
                event = await response.event(timeout=0.3)
                break
            except TimeoutError:
                continue
        expected = (
            "next",
            {"data": {"mizanInvalidations": {"context": "ctx_user", "params": {"user_id": 5}}}},
        )
        assert event == expected
        while True:  # the renames still in flight
            try:
                assert await response.event(timeout=0.5) == expected
            except TimeoutError:
                break
        # An entry it does not hold never reaches it; the next one it holds does.
        await asyncio.to_thread(rename, server, 6)
        await asyncio.to_thread(rename, server, 5)
        assert await response.event() == expected
    finally:
        await response.close()
