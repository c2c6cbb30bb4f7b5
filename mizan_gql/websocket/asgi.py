"""``wrap_asgi``: Django over HTTP plus GraphQL over WebSocket, in one ASGI app."""

from __future__ import annotations

from typing import Any

from channels.security.websocket import WebsocketDenier
from django.urls import NoReverseMatch, reverse

from ..channels.hub import layer_or_error
from .consumer import MizanWSConsumer

__all__ = ["wrap_asgi"]


def wrap_asgi(django_app: Any, *, path: str | None = None) -> Any:
    """Serve ``django_app`` over HTTP and the GraphQL WebSocket at the GraphQL path.

    ::

        # asgi.py
        from django.core.asgi import get_asgi_application
        from mizan_gql import wrap_asgi

        application = wrap_asgi(get_asgi_application())

    The socket speaks ``graphql-transport-ws`` and the legacy ``graphql-ws``; the handshake
    carries the session (Channels' ``AuthMiddlewareStack``) and must come from an
    ``Origin`` allowed by ``ALLOWED_HOSTS`` (``AllowedHostsOriginValidator``). ``path``
    defaults to where ``mizan_gql.urls`` is included (``/graphql``).
    """
    # Imported here: Channels' auth needs the app registry, which
    # get_asgi_application() (evaluated before this call) has just populated.
    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter
    from channels.security.websocket import AllowedHostsOriginValidator

    layer_or_error()  # without CHANNEL_LAYERS: install the in-memory layer now

    socket = _PathRouter(MizanWSConsumer.as_asgi(), path)
    return ProtocolTypeRouter(
        {
            "http": django_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(socket)),
        }
    )


class _PathRouter:
    """Send WebSockets for the GraphQL path to the consumer; refuse every other path."""

    def __init__(self, consumer: Any, path: str | None) -> None:
        self.consumer = consumer
        self.paths: set[str] | None = _variants(path) if path else None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if self.paths is None:
            self.paths = _variants(_graphql_path())
        if scope.get("path") in self.paths:
            return await self.consumer(scope, receive, send)
        return await WebsocketDenier.as_asgi()(scope, receive, send)


def _graphql_path() -> str:
    try:
        return reverse("mizan_gql:graphql")
    except NoReverseMatch:
        return "/graphql"


def _variants(path: str) -> set[str]:
    path = "/" + path.strip("/")
    return {path, path + "/"}
