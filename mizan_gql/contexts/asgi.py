"""``ContextCacheASGI``: public context hits answered at the ASGI layer, before Django.

``ContextCacheMiddleware`` answers a public context hit before the rest of ``MIDDLEWARE``,
but the request has been through Django's ASGI handler by then (its thread hops, the
``request_started``/``request_finished`` signals). This ASGI middleware answers a ``GET`` of
a public context endpoint from the stored bytes before Django's handler runs; everything
else goes to the application it wraps, unchanged. :func:`mizan_gql.wrap_asgi` puts it in
front of the HTTP application; without ``wrap_asgi``::

    application = ContextCacheASGI(get_asgi_application())

The answer must be the one Django's whole stack gives, byte for byte, and that depends on
the project's middleware too (security headers, ``Content-Length``, ``Vary``). So the stack
answers first: when a response of the endpoint goes back through this layer, the layer
checks that its body is the endpoint's (its strong ``ETag`` is the body's digest) and
remembers how the stack's headers relate to the view's: which are the view's, which the
middleware added (with their values), in which order. A later hit for the same context,
status (200 or 304), scheme, host and values of the headers the response ``Vary``s on is
answered with the view's headers of this hit (``respond`` of the endpoint) laid out as
the stack laid them out. Whatever else - a miss, a private or uncached context, ``HEAD``, a
response a middleware rewrote (compressed it, changed a view header, set a cookie), a host
``ALLOWED_HOSTS`` refuses - goes to Django.

No session, cookie, user or database is touched: a public context's answer is the same for
every user. Middleware that refuses requests by who sends them (login required, IP lists)
does not see these hits, as with ``ContextCacheMiddleware`` placed first.
"""

from __future__ import annotations

import io
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from ..signals import context_read
from .endpoint import CONDITIONAL_HEADERS, READING, ContextRequest, etag_of, respond
from .keys import PUBLIC_SCOPE
from .middleware import lookup_public, servable_hit
from .operation import ContextOperation
from .reporting import report_endpoint_hit
from .store import CacheUnavailable, aguarded

__all__ = ["ContextCacheASGI"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]

# Learned layouts kept per process; a flood of distinct hosts or Vary values cannot grow it.
MAX_LAYOUTS = 1024
LENGTH = b"content-length"
# Headers that mean the stack rewrote or personalised the body: never replayed.
REWRITING = (b"content-encoding", b"set-cookie", b"transfer-encoding")
COMMAS = re.compile(r"\s*,\s*")


# Answers remembered per layout (requests without conditional headers answer alike).
MAX_ANSWERS = 256
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


@dataclass
class _Layout:
    """How the stack laid out a response of the endpoint."""

    view_names: frozenset[bytes]  # the view's headers (lower case), whose values change
    # In order: (name as sent, None for a view header / LENGTH's value / the literal value)
    headers: tuple[tuple[bytes, bytes | None], ...]
    # (stored response's key, ETag) -> the answer to a request without conditional headers
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)

    def replay(self, response: HttpResponseBase) -> list[tuple[bytes, bytes]] | None:
        """The headers the stack sends with ``response``; None if it does not fit."""
        view = _view_headers(response)
        if frozenset(view) != self.view_names:
            return None
        headers = []
        for name, value in self.headers:
            if value is None:
                value = view[name.lower()]
            elif value is LENGTH:
                value = str(len(response.content)).encode()  # type: ignore[attr-defined]
            headers.append((name, value))
        return headers

    def remember(self, key: tuple[str, str], answer: Answer) -> None:
        if len(self.answers) >= MAX_ANSWERS:
            self.answers.clear()
        self.answers[key] = answer


# (context, document hash, status, scheme, host) -> the request headers the stack's
# answer varied on; the same plus their values -> the layout.
_vary: dict[tuple[Any, ...], tuple[str, ...]] = {}
_layouts: dict[tuple[Any, ...], _Layout] = {}


@receiver(setting_changed)
def _forget_layouts(**kwargs: Any) -> None:
    # MIDDLEWARE, CACHES or MIZAN may have changed what the stack answers.
    _vary.clear()
    _layouts.clear()


class ContextCacheASGI:
    """Answer hits of public contexts before ``app`` (Django's handler, usually) runs."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> Any:
        if scope["type"] != "http" or scope["method"] != "GET" or "/ctx/" not in scope["path"]:
            return await self.app(scope, receive, send)
        found = _servable(scope)
        if found is None:
            return await self.app(scope, receive, send)
        request, spec, asked = found
        try:
            stored = await aguarded(READING, lambda: lookup_public(spec, asked))
        except CacheUnavailable:
            return await self.app(scope, receive, send)
        if not stored.hit:
            return await self.app(scope, receive, send)
        etag, content = stored.value
        answer = _answer(request, spec, asked, content, etag)
        if answer is not None:
            if context_read.receivers:
                report_endpoint_hit(spec, asked.values, PUBLIC_SCOPE, stored.expires)
            return await _send(send, *answer)
        # Not learned yet: the stack answers this hit, and shows how it lays it out.
        watcher = _Watcher(send)
        result = await self.app(scope, receive, watcher)
        watcher.learn(request, spec, asked)
        return result


def _servable(scope: Scope) -> tuple[HttpRequest, ContextOperation, ContextRequest] | None:
    try:
        request = ASGIRequest(scope, io.BytesIO())
        found = servable_hit(request)
    except (SuspiciousOperation, UnicodeDecodeError):
        return None  # Django answers it (400, DisallowedHost...)
    return None if found is None else (request, *found)


def _key(request: HttpRequest, spec: ContextOperation, status: int) -> tuple[Any, ...]:
    return (spec.name, spec.operation.sha256, status, request.scheme, request.get_host())


def _vary_values(request: HttpRequest, names: tuple[str, ...]) -> tuple[str | None, ...]:
    return tuple(request.headers.get(name) for name in names)


def _layout(request: HttpRequest, spec: ContextOperation, status: int) -> _Layout | None:
    key = _key(request, spec, status)
    names = _vary.get(key)
    return None if names is None else _layouts.get((*key, names, _vary_values(request, names)))


def _answer(
    request: HttpRequest, spec: ContextOperation, asked: ContextRequest, content: bytes, etag: str
) -> Answer | None:
    """What the stack answers with the stored ``content``; None when not learned yet."""
    plain = not any(header in request.META for header in CONDITIONAL_HEADERS)
    if plain:  # a 200 whose every byte follows from the stored entry
        layout = _layout(request, spec, 200)
        if layout is None:
            return None
        known = layout.answers.get((asked.public_key, etag))
        if known is not None:
            return known
    response = respond(request, spec, asked, content, etag)
    layout = _layout(request, spec, response.status_code)
    headers = None if layout is None else layout.replay(response)
    if layout is None or headers is None:
        return None
    answer = (response.status_code, headers, response.content)  # type: ignore[attr-defined]
    if plain:
        layout.remember((asked.public_key, etag), answer)
    return answer


def _view_headers(response: HttpResponseBase) -> dict[bytes, bytes]:
    return {name.lower().encode(): value.encode("latin1") for name, value in response.items()}


class _Watcher:
    """Passes a fall-through response on, and keeps what :meth:`learn` needs of it."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] | None = []  # None once it is not worth keeping

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", ()))
            if self.status not in (200, 304):
                self.body = None
        elif message["type"] == "http.response.body" and self.body is not None:
            self.body.append(message.get("body", b""))
        await self.send(message)

    def learn(self, request: HttpRequest, spec: ContextOperation, asked: ContextRequest) -> None:
        """Remember the layout of the stack's answer, if it is the endpoint's own."""
        if self.body is None:
            return
        body = b"".join(self.body)
        sent = {name.lower(): value for name, value in self.headers}
        etag = sent.get(b"etag", b"").decode("latin1")
        if any(name in sent for name in REWRITING) or not etag:
            return
        if self.status == 200 and etag != etag_of(body):
            return  # not the endpoint's bytes (an error, a rewritten body)
        response = respond(request, spec, asked, body, etag)
        if response.status_code != self.status:
            return
        view = _view_headers(response)
        layout: list[tuple[bytes, bytes | None]] = []
        for name, value in self.headers:
            lower = name.lower()
            if lower in view:
                if value != view[lower]:
                    return  # a middleware changed a view header
                layout.append((name, None))
            elif lower == LENGTH:
                if value != str(len(response.content)).encode():  # type: ignore[attr-defined]
                    return
                layout.append((name, LENGTH))
            else:
                layout.append((name, value))
        if not set(view) <= {name.lower() for name, _ in self.headers}:
            return  # a middleware removed a view header
        vary = COMMAS.split(sent.get(b"vary", b"").decode("latin1"))
        names = tuple(sorted({n.strip().lower() for n in vary} - {""}))
        if "*" in names:
            return
        key = _key(request, spec, self.status)
        if len(_layouts) >= MAX_LAYOUTS:
            _layouts.clear()
            _vary.clear()
        _vary[key] = names
        _layouts[(*key, names, _vary_values(request, names))] = _Layout(
            frozenset(view), tuple(layout)
        )


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Send as Django's handler sends (``ASGIHandler.send_response``): the same messages."""
    await send({"type": "http.response.start", "status": status, "headers": headers})
    for chunk, last in ASGIHandler.chunk_bytes(body):
        await send({"type": "http.response.body", "body": chunk, "more_body": not last})
