"""What a WebSocket client sees on each supported ASGI server: daphne, uvicorn, hypercorn.

Each server runs as a subprocess serving the ASGI application of docs/subscriptions.md
(``wrap_asgi``); the client is a real WebSocket client (``websockets``). The close codes that
SECURITY.md documents must reach the client on all three: daphne, for one, refuses to send
RFC 6455's 1009 and 1012 (it raises "invalid close code" and the client sees an abnormal
closure), so mizan_gql closes with codes of the application range.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from mizan_gql.constants import CLOSE_LAYER_LOST, CLOSE_TOO_BIG
from tests.support.servers import ASGI_SERVERS, ServerProcess, asgi_server

APP = "tests.channels_app.asgi:application"
TRANSPORT = "graphql-transport-ws"
LEGACY = "graphql-ws"
ORIGIN = "http://localhost:3000"
NEWS = "subscription { newsChannel { headline } }"
HUGE = "1" * 5000  # more digits than Python converts to an int (4,300)


@pytest.fixture(scope="module", params=ASGI_SERVERS)
def server(request, tmp_path_factory) -> Iterator[ServerProcess]:
    log = tmp_path_factory.mktemp("servers") / f"{request.param}.log"
    with asgi_server(APP, "tests.settings", log=log, server=request.param) as process:
        yield process


def ws_url(server: ServerProcess, path: str = "/graphql") -> str:
    return f"ws://127.0.0.1:{server.port}{path}"


async def connect(server: ServerProcess, protocol: str = TRANSPORT, init: bool = True):
    ws = await websockets.connect(ws_url(server), subprotocols=[protocol], origin=ORIGIN)
    if init:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    return ws


async def closed_with(ws) -> int:
    """The code of the close frame the server sends (messages before it are skipped)."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 15)
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, f"closed without a close frame: {closed}"
        return closed.rcvd.code


def start(protocol: str, query: str, variables: str = "{}") -> str:
    kind = "subscribe" if protocol == TRANSPORT else "start"
    return (
        f'{{"type": "{kind}", "id": "1", '
        f'"payload": {{"query": {json.dumps(query)}, "variables": {variables}}}}}'
    )


def no_traceback(server: ServerProcess) -> None:
    assert "Traceback" not in server.output(), server.output()


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_a_frame_over_the_limit_closes_with_4413(server, protocol):
    ws = await connect(server, protocol)
    await ws.send(start(protocol, "{ __typename }" + " " * 70_000))
    assert await closed_with(ws) == CLOSE_TOO_BIG == 4413
    no_traceback(server)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
@pytest.mark.parametrize(
    "message",
    [
        f'{{"type": "connection_init", "payload": {{"n": {HUGE}}}}}',
        f'{{"type": "ping", "n": {HUGE}}}',
        "{not json",
    ],
    ids=["huge-int-in-init", "huge-int-in-message", "not-json"],
)
async def test_a_message_json_cannot_represent_closes_with_4400(server, protocol, message):
    ws = await connect(server, protocol, init=False)
    await ws.send(message)
    assert await closed_with(ws) == 4400
    no_traceback(server)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_a_huge_number_in_the_variables_closes_with_4400(server, protocol):
    ws = await connect(server, protocol)
    await ws.send(start(protocol, "query($n: Int) { __typename }", f'{{"n": {HUGE}}}'))
    assert await closed_with(ws) == 4400
    no_traceback(server)


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_a_binary_frame_closes_with_4400(server, protocol):
    ws = await connect(server, protocol)
    await ws.send(b"\x00\x01")
    assert await closed_with(ws) == 4400


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_an_operation_before_connection_init_closes_with_4401(server, protocol):
    ws = await connect(server, protocol, init=False)
    await ws.send(start(protocol, NEWS))
    assert await closed_with(ws) == 4401


@pytest.mark.parametrize(
    ("origin", "path"),
    [
        ("https://evil.example", "/graphql"),
        ("null", "/graphql"),
        (None, "/graphql"),
        ("http://localhost.evil.example", "/graphql"),
        (ORIGIN, "/not-graphql"),
    ],
)
async def test_a_refused_handshake_is_answered_403(server, origin, path):
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(ws_url(server, path), subprotocols=[TRANSPORT], origin=origin)
    assert refused.value.response.status_code == 403


def publish_news(server: ServerProcess, headline: str) -> bool:
    """Broadcast from a server function; False when the broadcast failed (right after Redis
    came back, a connection of the pool may still be the old server's)."""
    body = json.dumps({"query": f'mutation {{ wsPublishNews(headline: "{headline}") }}'})
    request = urllib.request.Request(
        f"{server.url}/graphql", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()) == {"data": {"wsPublishNews": True}}


async def subscribed(server: ServerProcess):
    """A socket whose news subscription is confirmed: it received a broadcast."""
    ws = await connect(server)
    await ws.send(start(TRANSPORT, NEWS))
    for attempt in range(100):
        if not await asyncio.to_thread(publish_news, server, f"probe {attempt}"):
            continue
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
        except TimeoutError:
            continue
        assert message["type"] == "next", message
        return ws
    raise AssertionError("the subscription never received a broadcast")


@pytest.mark.parametrize("server_name", ASGI_SERVERS)
async def test_a_lost_channel_layer_closes_with_4503_until_it_is_back(
    server_name, own_redis, tmp_path
):
    env = {"MIZAN_TEST_REDIS_URL": own_redis.url, "MIZAN_TEST_REDIS_PREFIX": "mizan-servers"}
    settings = "tests.channels_app.redis_settings"
    log = tmp_path / f"{server_name}.log"
    with asgi_server(APP, settings, env=env, log=log, server=server_name) as process:
        ws = await subscribed(process)
        own_redis.stop()
        assert await closed_with(ws) == CLOSE_LAYER_LOST == 4503

        again = await connect(process)  # subscribing while the layer is down: closed again
        await again.send(start(TRANSPORT, NEWS))
        assert await closed_with(again) == 4503

        own_redis.start()  # clients reconnect until a subscription is accepted
        for _ in range(20):
            try:
                ws = await subscribed(process)
            except ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 4503, closed
                continue
            await ws.close()
            break
        else:
            raise AssertionError("no subscription was accepted once the layer was back")
