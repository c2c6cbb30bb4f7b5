"""WebSocket helpers: a GraphQL-over-WebSocket client on Channels' communicator."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from mizan_gql import ainvalidate
from tests.support.fixtures import own_redis  # noqa: F401  (fixture)

TRANSPORT = "graphql-transport-ws"
LEGACY = "graphql-ws"
ORIGIN = b"http://testserver"
# What refuses a handshake: a ``websocket.close`` before ``websocket.accept`` without a code
# (Channels' WebsocketDenier), which the communicator reports as 1000. Every ASGI server
# answers it with HTTP 403 (tests/channels/test_servers.py).
HANDSHAKE_REFUSED = 1000

_MARKER_QUERY = """subscription($h: [MizanHeldEntry!]) {
  mizanInvalidations(holding: $h) { params }
}"""
_MARKERS = itertools.count(900_000)


def listening_count() -> int:
    """Subscriptions of this event loop listening to a group (see mizan_gql.channels.hub)."""
    from mizan_gql.channels.hub import get_hub

    return sum(len(queues) for queues in get_hub().listeners.values())


async def until_listening(count: int) -> None:
    """Wait until exactly ``count`` subscriptions listen (joins and leaves are async)."""
    for _ in range(400):
        if listening_count() == count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"{listening_count()} subscriptions listen, expected {count}")


class Socket:
    """One WebSocket connection to the app of tests.channels_app.asgi."""

    def __init__(self, communicator: WebsocketCommunicator, protocol: str) -> None:
        self.communicator = communicator
        self.protocol = protocol
        self.closed = False
        self.refused_code: int | None = None

    async def send(self, message: Any) -> None:
        await self.communicator.send_to(text_data=json.dumps(message))

    async def receive(self, timeout: float = 10) -> dict[str, Any]:
        return json.loads(await self.communicator.receive_from(timeout))

    async def init(self, payload: dict[str, Any] | None = None) -> None:
        await self.send({"type": "connection_init", "payload": payload or {}})
        assert (await self.receive())["type"] == "connection_ack"

    async def subscribe(self, op_id: str, query: str, variables: Any = None) -> None:
        kind = "subscribe" if self.protocol == TRANSPORT else "start"
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        await self.send({"type": kind, "id": op_id, "payload": payload})

    async def subscribed(self, op_id: str, query: str, variables: Any = None) -> None:
        """Subscribe and wait until the subscription listens to its group."""
        before = listening_count()
        await self.subscribe(op_id, query, variables)
        for _ in range(400):
            if listening_count() > before:
                return
            await asyncio.sleep(0.025)
        raise AssertionError(f"subscription {op_id} never started listening")

    async def complete(self, op_id: str) -> None:
        await self.send({"type": "complete" if self.protocol == TRANSPORT else "stop", "id": op_id})

    async def next(self, op_id: str | None = None) -> dict[str, Any]:
        """The payload of the next data message (``next``/``data``)."""
        message = await self.receive()
        assert message["type"] in ("next", "data"), message
        if op_id is not None:
            assert message["id"] == op_id, message
        return message["payload"]

    async def nothing(self) -> None:
        """Nothing sent to this socket so far is still to come, checked without waiting.

        A marker subscription opens (``mizanInvalidations`` holding an entry no other test
        holds), the entry is invalidated, and the marker must be the socket's next message:
        the process' hub hands messages to subscriptions in the order they were sent, so
        anything sent to this socket before would arrive first. The marker subscription ends
        again, so the socket's other subscriptions are as before.
        """
        user_id = next(_MARKERS)
        listening = listening_count()
        await self.subscribed(
            "marker",
            _MARKER_QUERY,
            {"h": [{"context": "ctx_user", "params": {"user_id": user_id}}]},
        )
        await ainvalidate("ctx_user", user_id=user_id)
        message = await self.receive()
        assert message.get("id") == "marker", f"unexpected message: {message}"
        assert message["payload"]["data"]["mizanInvalidations"]["params"] == {"user_id": user_id}
        await self.complete("marker")
        if self.protocol == LEGACY:  # the legacy protocol confirms a stop
            assert (await self.receive())["type"] == "complete"
        await until_listening(listening)

    async def closed_with(self, timeout: float = 10) -> int:
        output = await self.communicator.receive_output(timeout)
        while output["type"] == "websocket.send":
            output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.close", output
        self.closed = True
        return int(output.get("code", 1000))

    async def disconnect(self) -> None:
        """End the session: the client goes away and the application finishes, also after
        the server closed the socket (its task must not outlive the test's event loop)."""
        self.closed = True
        if not self.communicator.future.done():
            await self.communicator.disconnect()


@pytest.fixture
async def sockets():
    """``await sockets(...)`` opens a socket; all are closed when the test ends."""
    from tests.channels_app.asgi import application

    opened: list[Socket] = []

    async def open_socket(
        protocol: str = TRANSPORT,
        *,
        cookies: dict[str, str] | None = None,
        origin: bytes | None = ORIGIN,
        path: str = "/graphql",
        headers: list[tuple[bytes, bytes]] | None = None,
        init: bool = True,
    ) -> Socket:
        all_headers = [(b"host", b"testserver"), *(headers or [])]
        if origin is not None:
            all_headers.append((b"origin", origin))
        if cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            all_headers.append((b"cookie", cookie.encode()))
        communicator = WebsocketCommunicator(
            application, path, headers=all_headers, subprotocols=[protocol]
        )
        # Generous: the first socket after a MIZAN change rebuilds the schema.
        connected, detail = await communicator.connect(timeout=15)
        socket = Socket(communicator, protocol)
        opened.append(socket)
        if not connected:
            socket.closed = True
            socket.refused_code = detail
            return socket
        if init:
            await socket.init()
        return socket

    yield open_socket
    for socket in opened:
        await socket.disconnect()


@pytest.fixture
def session_cookie(django_user_model):
    """``await session_cookie(name, staff=False)`` logs in with the test Client.

    Returns the client (to log out later) and the cookies to send on the WebSocket.
    """
    from asgiref.sync import sync_to_async
    from django.conf import settings
    from django.test import Client

    def login(username: str, staff: bool) -> tuple[Client, dict[str, str]]:
        django_user_model.objects.create_user(username, password="pw", is_staff=staff)
        client = Client()
        assert client.login(username=username, password="pw")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        return client, {settings.SESSION_COOKIE_NAME: cookie}

    async def alogin(username: str, *, staff: bool = False) -> tuple[Client, dict[str, str]]:
        return await sync_to_async(login, thread_sensitive=True)(username, staff)

    return alogin
