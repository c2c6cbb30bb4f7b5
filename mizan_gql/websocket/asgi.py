"""The GraphQL WebSocket's ASGI parts: the origin check and the consumer's routes.

Two ways to serve the GraphQL WebSocket, as Channels projects compose applications:

- :func:`mizan_gql.wrap_asgi` (``mizan_gql/asgi.py``) takes Django's handler, or your own
  Channels ``ProtocolTypeRouter`` / ``URLRouter`` (or any ASGI app), and serves the GraphQL
  path's sockets itself; every other socket and every HTTP request go to ``app``.
- :data:`websocket_urlpatterns` goes into your own ``URLRouter`` next to your consumers.
"""

from __future__ import annotations

import re
from collections.abc import Coroutine, Sequence
from contextlib import suppress
from typing import Any
from urllib.parse import urlparse

from channels.security.websocket import (
    AllowedHostsOriginValidator,
    OriginValidator,
    WebsocketDenier,
)
from channels.sessions import InstanceSessionWrapper
from django.http.cookie import parse_cookie
from django.urls import NoReverseMatch, re_path, reverse
from django.utils.functional import lazy

from .consumer import MizanWSConsumer

__all__ = [
    "GraphQLSocket",
    "OriginChecked",
    "SocketSession",
    "graphql_path",
    "websocket_urlpatterns",
]


class OriginChecked:
    """ASGI middleware refusing (HTTP 403) a WebSocket handshake from an origin not allowed.

    ``allowed_origins=None`` allows the origins of ``ALLOWED_HOSTS``, read at each handshake
    (Channels' ``AllowedHostsOriginValidator``); a list is given to Channels'
    ``OriginValidator`` (``"https://app.example.com"``, ``".example.com"`` for a domain and its
    subdomains, ``"*"`` for any). A missing or ``null`` origin is refused unless ``"*"`` is
    listed.
    """

    def __init__(self, app: Any, allowed_origins: Sequence[str] | None = None) -> None:
        if isinstance(allowed_origins, str):
            raise TypeError(
                f"allowed_origins must be a list of origins, not a string: "
                f"write [{allowed_origins!r}]."
            )
        self.app = app
        self.allowed_origins = None if allowed_origins is None else list(allowed_origins)

    def allows(self, scope: dict[str, Any]) -> bool:
        """Whether the handshake's ``Origin`` is allowed (Channels' validators decide)."""
        if self.allowed_origins is None:
            validator = AllowedHostsOriginValidator(self.app)
        else:
            validator = OriginValidator(self.app, self.allowed_origins)
        origin = None
        for name, value in scope.get("headers", []):
            if name == b"origin":  # as Channels' OriginValidator reads it
                with suppress(UnicodeDecodeError):
                    origin = urlparse(value.decode("latin1"))
        return bool(validator.valid_origin(origin))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("OriginChecked serves WebSocket connections only.")
        if not self.allows(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.app(scope, receive, send)


def graphql_path() -> str:
    """Where ``mizan_gql.urls`` serves ``/graphql`` (``/graphql`` when it is not included)."""
    try:
        return reverse("mizan_gql:graphql")
    except NoReverseMatch:
        return "/graphql"


def _graphql_path_regex() -> str:
    # Channels' URLRouter matches paths without their leading slash.
    return "^" + re.escape(graphql_path().strip("/")) + "/?$"


# A lazy string: the URLconf is read at the first handshake, not when this module is
# imported (Django compiles a lazy pattern when it is first matched).
websocket_urlpatterns = [
    re_path(
        lazy(_graphql_path_regex, str)(),
        OriginChecked(MizanWSConsumer.as_asgi()),
        name="mizan_gql_websocket",
    )
]
"""The GraphQL WebSocket for your own Channels ``URLRouter``, at the GraphQL path (``/graphql``
and ``/graphql/``, wherever ``mizan_gql.urls`` is included), with the ``ALLOWED_HOSTS``
origin check of :func:`mizan_gql.wrap_asgi`. Put it under ``AuthMiddlewareStack`` so that sockets
carry the session::

    application = ProtocolTypeRouter({
        "http": get_asgi_application(),
        "websocket": AuthMiddlewareStack(URLRouter([*chat.routing.websocket_urlpatterns,
                                                    *mizan_gql.websocket.websocket_urlpatterns])),
    })
"""


class SocketSession:
    """Channels' ``AuthMiddlewareStack`` for the GraphQL socket: ``scope["cookies"]``,
    ``scope["session"]`` and ``scope["user"]``, set by Channels' own session wrapper and
    auth middleware, in one step.

    The stack's three middlewares each copy the scope (the auth one twice) and each stay
    suspended for as long as the socket is open: every idle socket kept four copies of its
    scope and four frames. This keeps one of each.
    """

    def __init__(self, inner: Any) -> None:
        # Imported here: Channels' auth needs the app registry, which
        # get_asgi_application() (evaluated before wrap_asgi) has just populated.
        from channels.auth import AuthMiddleware

        self.inner = inner
        self.auth = AuthMiddleware(inner)  # for its populate_scope and resolve_scope

    async def resolve(self, scope: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``scope`` with its ``cookies``, ``session`` and ``user``."""
        # As Channels' CookieMiddleware reads them.
        header = next((value for name, value in scope["headers"] if name == b"cookie"), None)
        cookies = parse_cookie(header.decode("latin1")) if header is not None else {}
        session = InstanceSessionWrapper({**scope, "cookies": cookies}, None)
        await session.resolve_session()
        scope = session.scope  # the one copy
        self.auth.populate_scope(scope)
        await self.auth.resolve_scope(scope)
        return scope

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        # Channels' session wrapper saves the session and sets its cookie on
        # "http.response.start" only, which a WebSocket never sends: the socket's own send
        # does the same.
        return await self.inner(await self.resolve(scope), receive, send)


class GraphQLSocket:
    """The GraphQL WebSocket as :func:`mizan_gql.wrap_asgi` serves it: the origin check of
    :class:`OriginChecked`, the session and user of :class:`SocketSession`, then
    :class:`~mizan_gql.websocket.MizanWSConsumer`.

    As nested ASGI applications, each layer would stay suspended for the socket's life, a
    frame each for every idle socket; :meth:`start` does the checks and hands back the
    consumer's own coroutine, which the caller awaits.
    """

    def __init__(self, allowed_origins: Sequence[str] | None = None) -> None:
        self.origin = OriginChecked(None, allowed_origins)
        self.session = SocketSession(None)

    async def start(
        self, scope: dict[str, Any], receive: Any, send: Any
    ) -> Coroutine[Any, Any, Any]:
        """What serves the socket (the consumer, or a refusal): await it."""
        if not self.origin.allows(scope):
            return WebsocketDenier()(scope, receive, send)
        return MizanWSConsumer()(await self.session.resolve(scope), receive, send)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        return await (await self.start(scope, receive, send))
