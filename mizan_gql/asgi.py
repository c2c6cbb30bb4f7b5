"""``wrap_asgi``: your ASGI application, plus GraphQL over WebSocket and mizan's HTTP paths.

``wrap_asgi(app)`` takes Django's handler, or your own Channels ``ProtocolTypeRouter`` /
``URLRouter`` (or any ASGI app), and serves the GraphQL path's sockets itself; every other
socket and every HTTP request go to ``app``, except what it can answer faster with the same
bytes: hits of public contexts (:class:`~mizan_gql.contexts.asgi.ContextCacheASGI`) and,
when ``app`` is Django's own handler, the GraphQL endpoint's requests through the same
middleware in one thread (:class:`~mizan_gql.http.handler.OneThreadASGIHandler`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import WebsocketDenier
from django.core.handlers.asgi import ASGIHandler
from django.urls import NoReverseMatch, reverse

from .channels.hub import layer_or_error
from .contexts.asgi import ContextCacheASGI
from .http.handler import OneThreadASGIHandler
from .websocket.asgi import GraphQLSocket, graphql_path

__all__ = ["MizanASGI", "wrap_asgi"]


def wrap_asgi(
    app: Any,
    *,
    path: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    context_hits: bool = True,
    one_thread: bool = True,
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
    :class:`~mizan_gql.websocket.asgi.SocketSession`) and must come from an allowed
    ``Origin``: those of ``ALLOWED_HOSTS``, or ``allowed_origins`` (see
    :class:`~mizan_gql.websocket.OriginChecked`). ``path`` defaults to where
    ``mizan_gql.urls`` is included (``/graphql``).

    HTTP requests first pass :class:`~mizan_gql.contexts.asgi.ContextCacheASGI`, which
    answers hits of public contexts from the stored bytes before Django's handler runs,
    exactly as the handler would answer them (``context_hits=False`` leaves them to ``app``).
    When ``app`` is Django's handler (or a ``ProtocolTypeRouter`` whose ``"http"`` is), the
    requests of the GraphQL endpoint and of the endpoints below it (``/graphql/ctx/...``;
    not the ``/graphql/stream`` of Server-Sent Events) go through the same ``MIDDLEWARE``
    and view in one worker thread (:class:`~mizan_gql.http.handler.OneThreadASGIHandler`)
    instead of one thread hop per middleware method; ``one_thread=False`` leaves them to
    ``app``.
    """
    layer_or_error()  # without CHANNEL_LAYERS: install the in-memory layer now
    socket = GraphQLSocket(allowed_origins)
    graphql_http = OneThreadASGIHandler() if one_thread and _django_serves_http(app) else None
    return MizanASGI(app, socket, path, context_hits=context_hits, graphql_http=graphql_http)


class MizanASGI:
    """What :func:`wrap_asgi` returns: the GraphQL socket at its path, ``app`` for the rest."""

    def __init__(
        self,
        app: Any,
        socket: GraphQLSocket,
        path: str | None,
        *,
        context_hits: bool = True,
        graphql_http: Any = None,
    ) -> None:
        self.app = app
        self.socket = socket
        self.paths: set[str] | None = _variants(path) if path else None
        self.app_serves_websockets = _serves(app, "websocket")
        self.app_serves_lifespan = _serves(app, "lifespan")
        # HTTP: the GraphQL endpoint's requests to graphql_http when given, the rest to app.
        self.graphql_http = graphql_http
        self.graphql_paths: _GraphQLPaths | None = None
        self.http = ContextCacheASGI(self.route_http) if context_hits else self.route_http

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        kind = scope["type"]
        if kind == "websocket":
            if self.paths is None:
                self.paths = _variants(graphql_path())
            if scope.get("path") in self.paths:
                # The consumer's coroutine itself: no frame of the socket's checks stays
                # suspended beside it for the socket's life.
                return await (await self.socket.start(scope, receive, send))
            if not self.app_serves_websockets:
                return await WebsocketDenier.as_asgi()(scope, receive, send)
        elif kind == "lifespan" and not self.app_serves_lifespan:
            return await _answer_lifespan(receive, send)
        elif kind == "http":
            return await self.http(scope, receive, send)
        return await self.app(scope, receive, send)

    async def route_http(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if self.graphql_http is not None:
            if self.graphql_paths is None:  # the URLconf is read at the first request
                self.graphql_paths = _GraphQLPaths()
            if self.graphql_paths.match(scope["path"]):
                return await self.graphql_http(scope, receive, send)
        return await self.app(scope, receive, send)


class _GraphQLPaths:
    """The GraphQL endpoint's paths, and those below it but the Server-Sent Events stream
    (a response that lasts: Django's own handler serves it on the event loop)."""

    def __init__(self) -> None:
        endpoint = graphql_path()
        self.exact = _variants(endpoint)
        # Mounted at the root, "below it" would be every path of the project.
        self.prefix = endpoint.rstrip("/") + "/" if endpoint.strip("/") else None
        try:
            self.stream: str | None = reverse("mizan_gql:graphql_stream")
        except NoReverseMatch:
            self.stream = None

    def match(self, path: str) -> bool:
        if path in self.exact:
            return True
        return self.prefix is not None and path.startswith(self.prefix) and path != self.stream


def _django_serves_http(app: Any) -> bool:
    """Whether ``app``'s HTTP requests go straight to Django's own handler (so that another
    handler of the same ``MIDDLEWARE`` and URLconf answers them alike)."""
    if isinstance(app, ProtocolTypeRouter):
        app = app.application_mapping.get("http")
    return type(app) is ASGIHandler


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
