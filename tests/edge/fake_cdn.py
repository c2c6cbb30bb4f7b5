"""Local stand-ins for the Fastly and Cloudflare purge APIs, on 127.0.0.1.

Each server checks every request against the provider's documented API (method, path,
headers, JSON body, batch limits) and answers 400 with the problem when it does not
match, so a purger sending anything else fails its test. ``replies`` scripts the statuses
of the next requests (429, 503, ...); ``hold()`` keeps each request waiting until the test
calls ``release()``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOLD_TIMEOUT = 10.0  # a held request is answered 503 after this (the test then fails)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    problem: str | None
    released_by_test: bool = True


@dataclass
class FakeAPI:
    check: Callable[[str, str, dict[str, str], Any], tuple[str | None, dict[str, Any]]]
    url: str = ""
    received: list[Received] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    _hold: threading.Event | None = None

    def hold(self) -> None:
        self._hold = threading.Event()

    def release(self) -> None:
        assert self._hold is not None
        self._hold.set()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The first ``count`` requests, once they arrived (bounded wait)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            self.arrived.wait(0.05)
            self.arrived.clear()
        assert len(self.received) >= count, (
            f"{len(self.received)} of {count} requests arrived: {self.received}"
        )
        return self.received[:count]

    @property
    def problems(self) -> list[str]:
        return [r.problem for r in self.received if r.problem]


def _handler(api: FakeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self._handle()

        def do_GET(self) -> None:  # noqa: N802
            self._handle()

        def do_PURGE(self) -> None:  # noqa: N802
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            headers = {k.lower(): v for k, v in self.headers.items()}
            problem, answer = api.check(self.command, self.path, headers, body)
            record = Received(self.command, self.path, headers, body, problem)
            released = True
            if api._hold is not None:
                api.received.append(record)
                api.arrived.set()
                released = api._hold.wait(HOLD_TIMEOUT)
                record.released_by_test = released
            else:
                api.received.append(record)
                api.arrived.set()
            status = 400 if problem else 200
            if not released:
                status = 503
            elif not problem and api.replies:
                status = api.replies.pop(0)
            payload = answer if status == 200 else {"problem": problem, "status": status}
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(api: FakeAPI) -> Iterator[FakeAPI]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        if api._hold is not None:
            api._hold.set()
        server.shutdown()
        server.server_close()
        thread.join(10)


FASTLY_SERVICE = "SU1Z0isxPaozGVKXdv0eY"
FASTLY_KEY = "fastly-test-key"


def check_fastly(method: str, path: str, headers: dict[str, str], body: Any):
    """POST /service/{service_id}/purge, ``Fastly-Key``, JSON ``{"surrogate_keys": [...]}``
    (at most 256 keys), ``Fastly-Soft-Purge: 1`` or nothing."""
    answer: dict[str, Any] = {}
    if method != "POST":
        return f"method {method}, not POST", answer
    if path != f"/service/{FASTLY_SERVICE}/purge":
        return f"path {path}", answer
    if headers.get("fastly-key") != FASTLY_KEY:
        return f"Fastly-Key {headers.get('fastly-key')!r}", answer
    if headers.get("content-type") != "application/json":
        return f"Content-Type {headers.get('content-type')!r}", answer
    if headers.get("fastly-soft-purge", "1") != "1":
        return f"Fastly-Soft-Purge {headers['fastly-soft-purge']!r}", answer
    if not isinstance(body, dict) or set(body) != {"surrogate_keys"}:
        return f"body {body!r}", answer
    keys = body["surrogate_keys"]
    if not keys or len(keys) > 256 or not all(isinstance(k, str) and k for k in keys):
        return f"surrogate_keys {keys!r}", answer
    # The documented answer: each key with the id of its purge.
    return None, {key: f"{n}-purge-id" for n, key in enumerate(keys)}


CLOUDFLARE_ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
CLOUDFLARE_TOKEN = "cloudflare-test-token"
CLOUDFLARE_BATCH = 30


def check_cloudflare(method: str, path: str, headers: dict[str, str], body: Any):
    """POST /client/v4/zones/{zone_id}/purge_cache, ``Authorization: Bearer <token>``,
    JSON ``{"files": [absolute URLs]}`` or ``{"tags": [...]}``, at most 30 per call."""
    answer = {"success": True, "errors": [], "messages": [], "result": {"id": CLOUDFLARE_ZONE}}
    if method != "POST":
        return f"method {method}, not POST", answer
    if path != f"/client/v4/zones/{CLOUDFLARE_ZONE}/purge_cache":
        return f"path {path}", answer
    if headers.get("authorization") != f"Bearer {CLOUDFLARE_TOKEN}":
        return f"Authorization {headers.get('authorization')!r}", answer
    if headers.get("content-type") != "application/json":
        return f"Content-Type {headers.get('content-type')!r}", answer
    if not isinstance(body, dict) or len(body) != 1 or not set(body) <= {"files", "tags"}:
        return f"body {body!r}", answer
    ((kind, items),) = body.items()
    if not items or len(items) > CLOUDFLARE_BATCH or not all(isinstance(i, str) for i in items):
        return f"{kind} {items!r}", answer
    if kind == "files" and not all(i.startswith(("http://", "https://")) for i in items):
        return f"files must be absolute URLs: {items!r}", answer
    return None, answer
