"""``wrap_asgi``: your ASGI application plus GraphQL over WebSocket; the consumer's routes.

Two ways to serve the GraphQL WebSocket, as Channels projects compose applications:

- ``wrap_asgi(app)`` takes Django's handler, or your own Channels ``ProtocolTypeRouter`` /
  ``URLRouter`` (or any ASGI app), and serves the GraphQL path's sockets itself; every other
  socket and every HTTP request go to ``app``.
- :data:`websocket_urlpatterns` goes into your own ``URLRouter`` next to your consumers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import (
    AllowedHostsOriginValidator,
    OriginValidator,
    WebsocketDenier,
)
from channels.sessions import InstanceSessionWrapper
from django.core.handlers.asgi import ASGIHandler
from django.http.cookie import parse_cookie
from django.urls import NoReverseMatch, re_path, reverse
from django.utils.functional import lazy

from ..channels.hub import layer_or_error
from ..contexts.asgi import ContextCacheASGI
from .consumer import MizanWSConsumer

__all__ = ["OriginChecked", "websocket_urlpatterns", "wrap_asgi"]


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

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if self.allowed_origins is None:
            validator = AllowedHostsOriginValidator(self.app)
        else:
            validator = OriginValidator(self.app, self.allowed_origins)
        return await validator(scope, receive, send)


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
origin check of :func:`wrap_asgi`. Put it under ``AuthMiddlewareStack`` so that sockets
carry the session::

    application = ProtocolTypeRouter({
        "http": get_asgi_application(),
        "websocket": AuthMiddlewareStack(URLRouter([*chat.routing.websocket_urlpatterns,
                                                    *mizan_gql.websocket.websocket_urlpatterns])),
    })
"""


def wrap_asgi(
    app: Any,
    *,
    path: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    context_hits: bool = True,
) -> Any:
    """Serve the GraphQL WebSocket at the GraphQL path, and everything else with ``app``.

    ::

        # asgi.py
        from django.core.asgi import get_asgi_application
        from mizan_gql import wrap_asgi

        application = wrap_asgi(get_asgi_application())

    ``app`` is Django's ASGI handler or your own application (a Channels
    ``ProtocolTypeRouter`` with consumers of yours, say): HTTP requests, WebSockets at other
    paths and lifespan events go to it. WebSockets at other paths are refused (HTTP 403) when
    ``app`` serves no WebSockets, and lifespan events are answered when it does not take
    them (Django's handler, a router without a ``"lifespan"`` entry).

    The GraphQL socket speaks ``graphql-transport-ws`` and the legacy ``graphql-ws``; the
    handshake carries the session (as Channels' ``AuthMiddlewareStack`` sets it, see
    :class:`SocketSession`) and must come from an
    allowed ``Origin``: those of ``ALLOWED_HOSTS``, or ``allowed_origins`` (see
    :class:`OriginChecked`). ``path`` defaults to where ``mizan_gql.urls`` is included
    (``/graphql``).

    HTTP requests first pass :class:`~mizan_gql.contexts.asgi.ContextCacheASGI`, which
    answers hits of public contexts from the stored bytes before Django's handler runs,
    exactly as the handler would answer them (``context_hits=False`` leaves every request
    to ``app``).
    """
    layer_or_error()  # without CHANNEL_LAYERS: install the in-memory layer now
    socket = OriginChecked(SocketSession(MizanWSConsumer.as_asgi()), allowed_origins)
    return MizanASGI(app, socket, path, ContextCacheASGI(app) if context_hits else app)


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

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        # As Channels' CookieMiddleware reads them.
        header = next((value for name, value in scope["headers"] if name == b"cookie"), None)
        cookies = parse_cookie(header.decode("latin1")) if header is not None else {}
        session = InstanceSessionWrapper({**scope, "cookies": cookies}, send)
        await session.resolve_session()
        scope = session.scope  # the one copy
        self.auth.populate_scope(scope)
        await self.auth.resolve_scope(scope)
        return await self.inner(scope, receive, session.send)


class MizanASGI:
    """What :func:`wrap_asgi` returns: the GraphQL socket at its path, ``app`` for the rest."""

    def __init__(self, app: Any, socket: Any, path: str | None, http: Any = None) -> None:
        self.app = app
        self.http = app if http is None else http
        self.socket = socket
        self.paths: set[str] | None = _variants(path) if path else None
        self.app_serves_websockets = _serves(app, "websocket")
        self.app_serves_lifespan = _serves(app, "lifespan")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        kind = scope["type"]
        if kind == "websocket":
            if self.paths is None:
                self.paths = _variants(graphql_path())
            if scope.get("path") in self.paths:
                return await self.socket(scope, receive, send)
            if not self.app_serves_websockets:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
        elif kind == "lifespan" and not self.app_serves_lifespan:
            return await _answer_lifespan(receive, send)
        elif kind == "http":
            return await self.http(scope, receive, send)
        return await self.app(scope, receive, send)


def _serves(app: Any, kind: str) -> bool:
    """Whether ``app`` takes scopes of ``kind``: Django's handler takes HTTP only, a
    ``ProtocolTypeRouter`` what it maps, a ``URLRouter`` scopes with a path; any other
    application is trusted to."""
    if isinstance(app, ASGIHandler):
        return False
    if isinstance(app, ProtocolTypeRouter):
        return kind in app.application_mapping
    if isinstance(app, URLRouter):
        return kind != "lifespan"
    return True


async def _answer_lifespan(receive: Any, send: Any) -> None:
    """The lifespan protocol for an application that has nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _variants(path: str) -> set[str]:
    path = "/" + path.strip("/")
    return {path, path + "/"}
