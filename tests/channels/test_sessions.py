"""A logout ends what an open WebSocket may do, on real servers.

A user signs in over HTTP, opens a socket with the session cookie, and logs out over HTTP
(Django's ``LogoutView``). Every operation sent on the open socket afterwards runs as an
anonymous user: a query sees no user, a mutation and a subscription that need one are
refused with ``UNAUTHENTICATED``. ``WS_AUTH_RECHECK`` stays at its default (30 seconds):
the logout shows at once, not at the next periodic re-read of the session. Across two
server processes sharing Redis (cache and channel layer), the logout made through one
process ends the socket of the other.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
import websockets

from tests.support.servers import ROOT, ServerProcess, server_env, start_asgi_server

APP = "tests.channels_app.asgi:application"
SETTINGS = "tests.channels_app.session_settings"
ORIGIN = "http://localhost:3000"
WHO = "{ wsRequestInfo { username authenticated } }"
SEND = 'mutation { chatChannelSend(room: "r", message: {text: "hi"}) }'
CHAT = 'subscription { chatChannel(room: "r") { text } }'


def prepare_database(env: dict[str, str]) -> None:
    """Create the shared database and the user ``ann`` (password ``pw``)."""
    code = (
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth.models import User\n"
        "User.objects.create_user('ann', password='pw')"
    )
    subprocess.run(
        [sys.executable, "-m", "django", "shell", "-c", code],
        cwd=ROOT,
        env=server_env(SETTINGS, env),
        check=True,
        timeout=120,
        capture_output=True,
    )


@pytest.fixture
def start_servers(tmp_path) -> Iterator:
    """``start_servers(count, env)``: that many daphne processes sharing one database."""
    with ExitStack() as stack:

        def start(count: int, env: dict[str, str] | None = None) -> list[ServerProcess]:
            env = {"MIZAN_TEST_DB": str(tmp_path / "db.sqlite3"), **(env or {})}
            prepare_database(env)
            started = []
            for n in range(count):
                server = start_asgi_server(APP, tmp_path / f"daphne-{n}.log", SETTINGS, env)
                stack.callback(server.stop)
                started.append(server)
            for server in started:
                server.wait_ready()
            return started

        yield start


class Browser:
    """Cookies and CSRF over plain HTTP requests, as a browser would send them."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def post(self, server: ServerProcess, path: str, form: dict[str, str]) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        connection.request("POST", path, urlencode(form), headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def login(self, server: ServerProcess) -> None:
        assert self.post(server, "/login/", {"username": "ann", "password": "pw"}) == 200

    def logout(self, server: ServerProcess) -> None:
        assert self.post(server, "/logout/", {}) == 302  # LogoutView redirects


class Socket:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.ids = 0

    @classmethod
    async def open(cls, server: ServerProcess, browser: Browser) -> Socket:
        ws = await websockets.connect(
            f"ws://127.0.0.1:{server.port}/graphql",
            subprotocols=["graphql-transport-ws"],
            origin=ORIGIN,
            additional_headers={"Cookie": browser.cookie},
        )
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        return cls(ws)

    async def first_answer(self, query: str) -> dict:
        """Send ``query``; its first message (``next`` or ``error``)."""
        self.ids += 1
        op_id = str(self.ids)
        await self.ws.send(
            json.dumps({"type": "subscribe", "id": op_id, "payload": {"query": query}})
        )
        message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert message["id"] == op_id, message
        return message

    async def result(self, query: str) -> dict:
        """The result of a query or mutation (its ``next``, then its ``complete``)."""
        message = await self.first_answer(query)
        assert message["type"] == "next", message
        done = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert done == {"type": "complete", "id": message["id"]}, done
        return message["payload"]


def codes(payload: dict | list) -> list[str]:
    errors = payload if isinstance(payload, list) else payload.get("errors", [])
    return [error["extensions"]["code"] for error in errors]


async def assert_signed_in(socket: Socket) -> None:
    assert await socket.result(WHO) == {
        "data": {"wsRequestInfo": {"username": "ann", "authenticated": True}}
    }
    assert await socket.result(SEND) == {"data": {"chatChannelSend": True}}


async def assert_signed_out(socket: Socket) -> None:
    assert await socket.result(WHO) == {
        "data": {"wsRequestInfo": {"username": "", "authenticated": False}}
    }
    assert codes(await socket.result(SEND)) == ["UNAUTHENTICATED"]
    refused = await socket.first_answer(CHAT)
    assert refused["type"] == "error" and codes(refused["payload"]) == ["UNAUTHENTICATED"]


async def test_operations_on_an_open_socket_stop_at_logout(start_servers):
    (server,) = start_servers(1)
    browser = Browser()
    browser.login(server)
    socket = await Socket.open(server, browser)
    await assert_signed_in(socket)

    browser.logout(server)
    await assert_signed_out(socket)
    await socket.ws.close()
    assert "Traceback" not in server.output()


async def test_a_logout_through_another_process_ends_the_socket(start_servers, own_redis):
    env = {"MIZAN_TEST_REDIS_URL": own_redis.url, "MIZAN_TEST_SESSIONS": "cache"}
    socket_server, http_server = start_servers(2, env)
    browser = Browser()
    browser.login(http_server)
    socket = await Socket.open(socket_server, browser)
    await assert_signed_in(socket)

    browser.logout(http_server)
    await assert_signed_out(socket)
    await socket.ws.close()
