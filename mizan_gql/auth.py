"""``@client(auth=...)`` -> Strawberry permission classes; the user of a long-lived request.

The permission runs before the resolver, so before arguments are validated and before any
cache is read. Anonymous users get ``UNAUTHENTICATED``; signed-in users who lack the
required flag (or whom a callable refuses) get ``FORBIDDEN``.

A WebSocket keeps the user its handshake's session had. :class:`UserRecheck` reads the
session again now and then, and a logout (Django's ``user_logged_out`` signal) leaves a mark
in the cache that each new operation on the socket looks for, so the socket stops acting
for a user who logged out.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches
from strawberry.permission import BasePermission

from .conf import mizan_settings
from .exceptions import ClientError
from .request import anonymous_user, current_user, request_from_info

__all__ = [
    "UserRecheck",
    "check_auth",
    "end_session",
    "permission_classes_for",
    "session_ended",
    "sessions_end_on_logout",
]

logger = logging.getLogger("mizan_gql")


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def check_auth(auth: Any, request: Any) -> None:
    """Raise :class:`ClientError` unless ``request`` satisfies the ``auth`` option."""
    if auth in (None, False):
        return
    user = _user(request)
    authenticated = bool(user is not None and user.is_authenticated)
    if callable(auth):
        if auth(request):
            return
        if not authenticated:
            raise ClientError("Authentication required", code="UNAUTHENTICATED")
        raise ClientError("You do not have permission to do this", code="FORBIDDEN")
    if not authenticated:
        raise ClientError("Authentication required", code="UNAUTHENTICATED")
    if auth == "staff" and not user.is_staff:
        raise ClientError("Staff access required", code="FORBIDDEN")
    if auth == "superuser" and not user.is_superuser:
        raise ClientError("Superuser access required", code="FORBIDDEN")


def permission_classes_for(auth: Any) -> list[type[BasePermission]]:
    """One permission class enforcing ``auth``, or none when the field is open."""
    if auth in (None, False):
        return []

    class MizanAuth(BasePermission):
        # The error is raised by check_auth with the right code; message is a fallback.
        message = "You do not have permission to do this"

        async def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
            request = request_from_info(info)
            if callable(auth):
                # A callable may query the database: keep it off the event loop.
                await sync_to_async(check_auth, thread_sensitive=True)(auth, request)
            else:
                check_auth(auth, request)
            return True

    MizanAuth.__name__ = f"MizanAuth_{_label(auth)}"
    return [MizanAuth]


def _label(auth: Any) -> str:
    if isinstance(auth, Callable) and not isinstance(auth, (bool, str)):  # type: ignore[arg-type]
        return getattr(auth, "__name__", "callable")
    return str(auth)


class UserRecheck:
    """The signed-in user of a long-lived request (a WebSocket's), re-read from its session
    at most every ``MIZAN["WS_AUTH_RECHECK"]`` seconds, so that a logout shows.

    Several may watch one request (the socket, and each of its subscriptions): whichever
    sees a change sets ``request.user``, and the others see it at their next look. A request
    whose user did not come from its session (``request.session_auth`` false: a socket
    signed in by ``MIZAN["WS_AUTHENTICATE"]``) is not re-checked.
    """

    __slots__ = ("checked_at", "request", "user_id")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.checked_at = time.monotonic()
        self.user_id = (
            getattr(getattr(request, "user", None), "pk", None)
            if getattr(request, "session_auth", True)
            else None
        )

    async def changed(self) -> bool:
        """Whether the user changed since the last look; ``request.user`` is then the new one
        (anonymous after a logout)."""
        if self.user_id is None:
            return False
        if getattr(self.request.user, "pk", None) != self.user_id:  # seen by another watcher
            self.user_id = getattr(self.request.user, "pk", None)
            return True
        interval = mizan_settings.WS_AUTH_RECHECK
        session = getattr(self.request, "session", None)
        if interval is None or session is None or time.monotonic() - self.checked_at < interval:
            return False
        self.checked_at = time.monotonic()
        user = await current_user(session)
        if getattr(user, "pk", None) == self.user_id:
            return False
        self.request.user, self.user_id = user, getattr(user, "pk", None)
        return True

    async def logged_out(self) -> bool:
        """Whether the session was ended by a logout (one cache read, however recent the last
        look); ``request.user`` is then anonymous."""
        if self.user_id is None:
            return False
        key = getattr(getattr(self.request, "session", None), "session_key", None)
        if key is None or not await session_ended(key):
            return False
        self.request.user, self.user_id = anonymous_user(), None
        return True


def _logout_key(session_key: str) -> str:
    # Hashed: the cache (a shared Redis, say) never holds a usable session key.
    return "mizan.logout." + hashlib.sha256(session_key.encode()).hexdigest()


def end_session(session_key: str) -> None:
    """Mark the session ``session_key`` as ended (by a logout) in ``MIZAN["CACHE"]``, for
    ``SESSION_COOKIE_AGE`` seconds: the sockets it signed in stop acting for its user at
    their next operation, in every process sharing that cache."""
    try:
        caches[mizan_settings.CACHE].set(
            _logout_key(session_key), True, timeout=settings.SESSION_COOKIE_AGE
        )
    except Exception:  # the cache is down: the periodic re-check still sees the logout
        logger.warning("Could not record a logout in the cache %r", mizan_settings.CACHE)


async def session_ended(session_key: str) -> bool:
    """Whether :func:`end_session` marked ``session_key`` (False when the cache is down)."""
    try:
        return bool(await caches[mizan_settings.CACHE].aget(_logout_key(session_key)))
    except Exception:
        logger.warning("Could not read logouts from the cache %r", mizan_settings.CACHE)
        return False


def sessions_end_on_logout(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """Receiver of Django's ``user_logged_out``: :func:`end_session` for the request's
    session (connected by ``MizanGqlConfig.ready()``)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        end_session(key)
