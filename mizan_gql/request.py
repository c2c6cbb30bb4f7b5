"""Find the Django request behind a resolver's ``info`` (HTTP or WebSocket)."""

from __future__ import annotations

from typing import Any


def request_from_info(info: Any) -> Any:
    context = info.context
    request = getattr(context, "request", None)
    if request is None and isinstance(context, dict):
        request = context.get("request")
    return request
