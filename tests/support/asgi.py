"""One HTTP request through an ASGI application, as an ASGI server makes it, in process."""

from __future__ import annotations

import asyncio
from typing import Any

Messages = list[dict[str, Any]]


class Reply:
    """What an ASGI application sent for one request."""

    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self.status = messages[0]["status"]
        self.headers = {k.decode().lower(): v.decode() for k, v in messages[0]["headers"]}
        self.content = b"".join(m.get("body", b"") for m in messages[1:])

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]


def http_scope(path: str, headers: dict[str, str] | None = None, method: str = "GET") -> dict:
    """The ASGI scope of an HTTP request for ``path`` (with its query string)."""
    route, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (k.lower().encode(), v.encode())
            for k, v in {"host": "testserver", **(headers or {})}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


async def call(
    app: Any,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes = b"",
) -> Reply:
    """One request through ``app`` (bounded by a timeout); the client stays connected."""
    scope = http_scope(path, headers, method)
    requested = False
    messages: Messages = []

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect: the handler cancels this wait
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        messages.append(dict(message))

    await asyncio.wait_for(app(scope, receive, send), timeout=30)
    return Reply(messages)
