"""The GraphQL socket's scope carries what Channels' ``AuthMiddlewareStack`` puts there.

``wrap_asgi`` serves the socket behind ``SocketSession`` (one scope copy, one frame) instead
of the stack of three middlewares: an application behind either sees the same cookies,
session and user, of the same types.
"""

import pytest
from channels.auth import AuthMiddlewareStack
from channels.testing import WebsocketCommunicator

from mizan_gql.websocket.asgi import SocketSession

pytestmark = pytest.mark.django_db(transaction=True)


async def scope_seen(middleware, cookies: dict[str, str]) -> dict:
    """What a WebSocket application behind ``middleware`` reads from its scope."""
    seen: dict = {}

    async def app(scope, receive, send):
        session, user = scope["session"], scope["user"]
        seen.update(
            cookies=scope["cookies"],
            session_type=type(session),
            session_key=session.session_key,
            user_type=type(user),
            username=user.get_username(),
            authenticated=user.is_authenticated,
        )
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        await receive()  # until the client goes

    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()
    communicator = WebsocketCommunicator(middleware(app), "/graphql", headers=[(b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()
    return seen


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
async def test_the_scope_is_the_one_of_channels_auth_stack(session_cookie, signed_in):
    if signed_in:
        _, cookies = await session_cookie("ann")
    else:
        cookies = {"theme": "dark"}

    ours = await scope_seen(SocketSession, cookies)
    assert ours == await scope_seen(AuthMiddlewareStack, cookies)
    assert ours["cookies"] == cookies
    assert ours["username"] == ("ann" if signed_in else "")
    assert ours["authenticated"] is signed_in
    assert (ours["session_key"] is not None) is signed_in
