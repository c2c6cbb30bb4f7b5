"""A strict Content-Security-Policy on every response: nothing but the site itself, no
inline script or style, no ``eval``, no ``data:`` URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def strict_policy(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if iscoroutinefunction(get_response):

        async def middleware(request: Any) -> Any:
            response = await get_response(request)
            response["Content-Security-Policy"] = POLICY
            return response

        markcoroutinefunction(middleware)
        return middleware

    def sync_middleware(request: Any) -> Any:
        response = get_response(request)
        response["Content-Security-Policy"] = POLICY
        return response

    return sync_middleware


strict_policy.sync_capable = True  # type: ignore[attr-defined]
strict_policy.async_capable = True  # type: ignore[attr-defined]
