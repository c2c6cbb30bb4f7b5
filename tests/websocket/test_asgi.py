"""ASGI composition on real servers: ``wrap_asgi`` around a project's own Channels router,
``websocket_urlpatterns`` in a project's ``URLRouter``, and lifespan events.

uvicorn and hypercorn send lifespan events (daphne does not). Django's handler refuses
them; ``wrap_asgi`` answers them for it, and hands them to a project's router that takes
them.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Iterator

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.support.servers import ServerProcess, asgi_server

ORIGIN = "http://localhost:3000"
WHO = "{ wsRequestInfo { authenticated } }"


@pytest.fixture
def serve(tmp_path) -> Iterator:
    """``with serve(app, server) as process``: ``app`` served by ``server``."""

    def start(app: str, server: str, settings: str = "tests.websocket_app.settings"):
        return asgi_server(app, settings, log=tmp_path / f"{server}.log", server=server)

    yield start


async def graphql_query(server: ServerProcess, query: str = WHO, path: str = "/graphql") -> dict:
    async with websockets.connect(
        f"ws://127.0.0.1:{server.port}{path}", subprotocols=["graphql-transport-ws"], origin=ORIGIN
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        await ws.send(json.dumps({"type": "subscribe", "id": "q", "payload": {"query": query}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["type"] == "next", message
        return message["payload"]


async def echo(server: ServerProcess) -> dict:
    async with websockets.connect(f"ws://127.0.0.1:{server.port}/ws/echo/", origin=ORIGIN) as ws:
        await ws.send("hello")
        return json.loads(await asyncio.wait_for(ws.recv(), 10))


def get_json(server: ServerProcess, path: str) -> dict:
    with urllib.request.urlopen(f"{server.url}{path}", timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("server", ["uvicorn", "hypercorn"])
def test_lifespan_events_of_djangos_handler_are_answered(serve, server):
    with serve("tests.channels_app.asgi:application", server, "tests.settings") as process:
        pass  # started, then stopped: both lifespan events went through
    log = process.output()
    if server == "uvicorn":
        assert "Application startup complete." in log, log
        assert "Application shutdown complete." in log, log
    assert "lifespan" not in log.lower(), log  # no "unsupported", no "Lifespan error"
    assert "Traceback" not in log, log


@pytest.mark.parametrize("server", ["uvicorn", "hypercorn"])
async def test_wrap_asgi_serves_a_projects_own_router(serve, server):
    with serve("tests.websocket_app.asgi:wrapped_router", server) as process:
        # The project's lifespan application took the events ...
        assert get_json(process, "/lifespan/") == {"events": ["startup"]}
        # ... its own consumer serves its path, the GraphQL socket the GraphQL path.
        assert await echo(process) == {"echo": "hello", "user": "anonymous"}
        assert await graphql_query(process) == {"data": {"wsRequestInfo": {"authenticated": False}}}
    assert "project lifespan: shutdown" in process.output()
    assert "Traceback" not in process.output()


async def test_websocket_urlpatterns_in_a_projects_url_router(serve):
    with serve("tests.websocket_app.asgi:own_router", "daphne") as process:
        assert await echo(process) == {"echo": "hello", "user": "anonymous"}
        for path in ("/graphql", "/graphql/"):
            payload = await graphql_query(process, path=path)
            assert payload == {"data": {"wsRequestInfo": {"authenticated": False}}}
        # The patterns keep the ALLOWED_HOSTS origin check of wrap_asgi.
        with pytest.raises(InvalidStatus) as refused:
            await websockets.connect(
                f"ws://127.0.0.1:{process.port}/graphql",
                subprotocols=["graphql-transport-ws"],
                origin="https://evil.example",
            )
        assert refused.value.response.status_code == 403
    assert "Traceback" not in process.output()
