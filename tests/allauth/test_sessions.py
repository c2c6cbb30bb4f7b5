"""A GraphQL login's session works over HTTP and for WebSocket subscriptions; a GraphQL
logout ends the private subscriptions of that session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from tests.allauth.conftest import LOGIN, LOGOUT, PASSWORD, orm
from tests.channels.conftest import listening_count, until_listening

pytestmark = pytest.mark.django_db(transaction=True)

INBOX = "subscription { accountInbox { text } }"


class Socket:
    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator

    async def send(self, message: dict[str, Any]) -> None:
        await self.communicator.send_to(text_data=json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        return json.loads(await self.communicator.receive_from(5))

    async def operation(self, op_id: str, query: str) -> None:
        await self.send({"type": "subscribe", "id": op_id, "payload": {"query": query}})

    async def subscribed(self, op_id: str, query: str) -> None:
        """Subscribe and wait until the subscription listens to its group."""
        before = listening_count()
        await self.operation(op_id, query)
        await until_listening(before + 1)


@pytest.fixture
async def socket_for():
    from tests.allauth_app.asgi import application

    opened: list[WebsocketCommunicator] = []

    async def open_socket(session_key: str | None) -> Socket:
        headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
        if session_key:
            cookie = f"{django_settings.SESSION_COOKIE_NAME}={session_key}"
            headers.append((b"cookie", cookie.encode()))
        communicator = WebsocketCommunicator(
            application, "/graphql", headers=headers, subprotocols=["graphql-transport-ws"]
        )
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        opened.append(communicator)
        socket = Socket(communicator)
        await socket.send({"type": "connection_init", "payload": {}})
        assert (await socket.receive())["type"] == "connection_ack"
        return socket

    yield open_socket
    for communicator in opened:
        await communicator.disconnect()


def session_key(gql) -> str:
    return gql.client.cookies[django_settings.SESSION_COOKIE_NAME].value


async def test_graphql_login_session_drives_websocket_and_logout_ends_it(
    gql, make_user, socket_for, account_api, settings
):
    settings.MIZAN = {"WS_AUTH_RECHECK": 0}
    channel = account_api["channel"]
    await orm(make_user, "ann", verified=True)
    login = await gql.execute(LOGIN, {"login": "ann", "password": PASSWORD})
    assert login["data"]["accountLogin"]["ok"] is True
    socket = await socket_for(session_key(gql))

    # Queries over the socket see the session's user ...
    await socket.operation("me", "{ currentUser { username } }")
    assert (await socket.receive())["payload"] == {"data": {"currentUser": {"username": "ann"}}}
    assert (await socket.receive())["type"] == "complete"

    # ... and so does the private channel's authorize().
    await socket.subscribed("inbox", INBOX)
    await channel.abroadcast("inbox", {"text": "hello ann"})
    message = await socket.receive()
    assert message == {
        "type": "next",
        "id": "inbox",
        "payload": {"data": {"accountInbox": {"text": "hello ann"}}},
    }

    logout = await gql.execute(LOGOUT)
    assert logout["data"]["accountLogout"]["ok"] is True
    await channel.abroadcast("inbox", {"text": "after logout"})
    message = await socket.receive()
    assert message["type"] == "next" and message["payload"]["data"] is None
    assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await socket.receive())["type"] == "complete"
    await until_listening(0)  # the ended subscription left the group: "later" reaches no one
    await channel.abroadcast("inbox", {"text": "later"})
    await socket.operation("me", "{ currentUser { username } }")
    assert (await socket.receive())["payload"] == {"data": {"currentUser": None}}


async def test_a_signed_out_socket_cannot_subscribe(socket_for):
    socket = await socket_for(None)
    await socket.operation("inbox", INBOX)
    message = await socket.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_account_mutations_need_http(gql, make_user, socket_for):
    await orm(make_user, "ann")
    socket = await socket_for(None)
    login = f'mutation {{ accountLogin(login: "ann", password: "{PASSWORD}") {{ ok }} }}'
    await socket.operation("login", login)
    message = await socket.receive()
    assert message["type"] == "next"
    assert message["payload"]["data"] is None
    error = message["payload"]["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "over HTTP" in error["message"]


async def test_login_and_logout_reach_connected_clients_as_invalidations(
    gql, make_user, socket_for
):
    await orm(make_user, "ann")
    socket = await socket_for(None)
    await socket.subscribed(
        "inv", 'subscription { mizanInvalidations(contexts: ["current_user"]) { context header } }'
    )
    await gql.execute(LOGIN, {"login": "ann", "password": PASSWORD})
    await gql.execute(LOGOUT)
    for _ in range(2):
        message = await socket.receive()
        assert message["payload"]["data"]["mizanInvalidations"] == {
            "context": "current_user",
            "header": "current_user",
        }
