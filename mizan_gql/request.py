"""The Django request behind a GraphQL operation, over HTTP or WebSocket.

Resolvers and extensions find it in the GraphQL context (``info.context``): Strawberry's
Django views put a ``StrawberryDjangoContext`` there, the WebSocket consumer a dict.
Operations sent over the WebSocket get a :class:`WebSocketRequest`: a real Django
``HttpRequest`` built from the handshake (``headers``, ``COOKIES``, ``META``, ``GET``,
``get_host()`` ...) carrying the ``user`` and ``session`` that Channels' auth middleware
resolved, so a function behaves the same over HTTP and over WebSocket.
"""

from __future__ import annotations

import io
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest

__all__ = [
    "WebSocketRequest",
    "anonymous_user",
    "current_user",
    "request_from_context",
    "request_from_info",
    "response_from_context",
]


def request_from_context(graphql_context: Any) -> Any:
    """The request in a GraphQL context (an object with ``.request`` or a dict)."""
    request = getattr(graphql_context, "request", None)
    if request is None and isinstance(graphql_context, dict):
        request = graphql_context.get("request")
    return request


def response_from_context(graphql_context: Any) -> Any:
    """The HTTP response being prepared for the operation (None over WebSocket)."""
    response = getattr(graphql_context, "response", None)
    if response is None and isinstance(graphql_context, dict):
        response = graphql_context.get("response")
    return response


def request_from_info(info: Any) -> Any:
    """The request of the operation a resolver runs in."""
    return request_from_context(info.context)


class WebSocketRequest(ASGIRequest):
    """``HttpRequest`` for the WebSocket handshake ``scope``; ``consumer`` is the socket.

    ``session_auth`` says whether ``user`` is the session's (re-checked after a logout) or
    was given by ``MIZAN["WS_AUTHENTICATE"]`` from ``connection_init`` (kept for the
    socket's life).
    """

    session_auth = True

    def __init__(self, scope: dict[str, Any], consumer: Any = None) -> None:
        super().__init__({**scope, "type": "http", "method": "GET", "headers": ()}, io.BytesIO())
        # META is built from the handshake when something first reads it, which an idle
        # subscription never does (a socket is held for hours; its scope has it all).
        self._meta: dict[str, Any] | None = None
        # Keep the original scope (type "websocket") for hooks that read self.scope.
        self.scope = scope
        self.consumer = consumer
        self.user = scope.get("user") or anonymous_user()
        session = scope.get("session")
        if session is not None:
            self.session = session

    @property  # type: ignore[override]
    def META(self) -> dict[str, Any]:  # noqa: N802  (Django's name)
        if self._meta is None:
            # Django's own reading of the handshake, as if it had been there from the start.
            handshake = {**self.scope, "type": "http", "method": "GET"}
            self._meta = ASGIRequest(handshake, io.BytesIO()).META
        return self._meta

    @META.setter
    def META(self, meta: dict[str, Any]) -> None:  # noqa: N802
        self._meta = meta

    async def auser(self) -> Any:
        return self.user


async def current_user(session: Any) -> Any:
    """The user of ``session``'s key as stored now (a logout has deleted or flushed it)."""
    return await sync_to_async(_load_user, thread_sensitive=True)(session)


def _load_user(session: Any) -> Any:
    fresh = HttpRequest()
    engine = import_module(settings.SESSION_ENGINE)
    fresh.session = engine.SessionStore(getattr(session, "session_key", None))
    return get_user(fresh)


def anonymous_user() -> Any:
    """Django's ``AnonymousUser`` (imported on use: mizan_gql loads before the models)."""
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
