"""The request server functions receive for operations sent over the WebSocket.

It is a real Django ``HttpRequest`` built from the handshake (``headers``, ``COOKIES``,
``META``, ``GET``, ``get_host()`` ...) carrying the ``user`` and ``session`` that Channels'
auth middleware resolved, so a function behaves the same over HTTP and over WebSocket.
"""

from __future__ import annotations

import io
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest


class WebSocketRequest(ASGIRequest):
    """``HttpRequest`` for the WebSocket handshake ``scope``; ``consumer`` is the socket."""

    def __init__(self, scope: dict[str, Any], consumer: Any = None) -> None:
        super().__init__({**scope, "type": "http", "method": "GET"}, io.BytesIO())
        # Keep the original scope (type "websocket") for hooks that read self.scope.
        self.scope = scope
        self.consumer = consumer
        self.user = scope.get("user") or _anonymous()
        session = scope.get("session")
        if session is not None:
            self.session = session

    async def auser(self) -> Any:
        return self.user


async def current_user(session: Any) -> Any:
    """The user of ``session``'s key as stored now (a logout has deleted or flushed it)."""
    return await sync_to_async(_load_user, thread_sensitive=True)(session)


def _load_user(session: Any) -> Any:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user
    from django.http import HttpRequest

    fresh = HttpRequest()
    engine = import_module(settings.SESSION_ENGINE)
    fresh.session = engine.SessionStore(getattr(session, "session_key", None))
    return get_user(fresh)


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
