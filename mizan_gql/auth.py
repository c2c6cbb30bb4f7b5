"""``@client(auth=...)`` -> Strawberry permission classes.

The permission runs before the resolver, so before arguments are validated and before any
cache is read. Anonymous users get ``UNAUTHENTICATED``; signed-in users who lack the
required flag (or whom a callable refuses) get ``FORBIDDEN``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from strawberry.permission import BasePermission

from .conf import mizan_settings
from .exceptions import ClientError
from .request import current_user, request_from_info

__all__ = ["UserRecheck", "check_auth", "permission_classes_for"]


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
    at most every ``MIZAN["WS_AUTH_RECHECK"]`` seconds, so that a logout shows."""

    __slots__ = ("checked_at", "request", "user_id")

    def __init__(self, request: Any) -> None:
        self.request = request
        self.checked_at = time.monotonic()
        self.user_id = getattr(getattr(request, "user", None), "pk", None)

    async def changed(self) -> bool:
        """Whether the user changed since the last look; ``request.user`` is then the new one
        (anonymous after a logout)."""
        interval = mizan_settings.WS_AUTH_RECHECK
        session = getattr(self.request, "session", None)
        if (
            interval is None
            or self.user_id is None
            or session is None
            or time.monotonic() - self.checked_at < interval
        ):
            return False
        self.checked_at = time.monotonic()
        user = await current_user(session)
        if getattr(user, "pk", None) == self.user_id:
            return False
        self.request.user, self.user_id = user, getattr(user, "pk", None)
        return True
