"""``ContextCacheMiddleware``: answer public context hits before the rest of the stack.

The context endpoint answers a cache hit from stored bytes, but only once the request has
been through every middleware and the URL resolver. For a **public** context none of that
can change the answer: the response is shared by every user, carries no cookie and never
depends on the session, the user or CSRF. Like Django's ``FetchFromCacheMiddleware``, this
middleware answers such a hit where it stands in ``MIDDLEWARE``, and the middleware after it
(and the view) never run for it::

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "mizan_gql.http.ContextCacheMiddleware",  # after Security (and CORS), before sessions
        "django.contrib.sessions.middleware.SessionMiddleware",
        ...
    ]

Everything else goes on down the stack unchanged: other URLs and methods, private and
uncached contexts, a miss or a stale entry, a query string the view would refuse.
``ALLOWED_HOSTS`` is checked here as the rest of the stack would check it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve

from ..contexts import CacheUnavailable
from ..contexts import store as context_store
from ..contexts.middleware import HybridMiddleware
from ..exceptions import ClientError, RegistrationError
from ..persisted.context_operation import ContextOperation, context_operation
from ..schema.builder import get_schema
from .context_view import ALLOWED_METHODS, _prepare, _Prepared, _respond, context_view

__all__ = ["ContextCacheMiddleware"]

READING = "reading a context response"


class ContextCacheMiddleware(HybridMiddleware):
    """Serve stored responses of public contexts without the rest of the middleware."""

    def _call(self, request: HttpRequest) -> Any:
        found = _servable(request)
        if found is not None:
            try:
                stored = context_store.guarded(READING, lambda: _lookup(*found))
            except CacheUnavailable:
                stored = None
            if stored is not None:
                return _answer(request, *found, stored)
        return self.get_response(request)

    async def _acall(self, request: HttpRequest) -> Any:
        found = _servable(request)
        if found is not None:
            try:
                stored = await context_store.aguarded(READING, lambda: _lookup(*found))
            except CacheUnavailable:
                stored = None
            if stored is not None:
                return _answer(request, *found, stored)
        get_response: Callable[[HttpRequest], Awaitable[Any]] = self.get_response
        return await get_response(request)


def _servable(request: HttpRequest) -> tuple[ContextOperation, _Prepared] | None:
    """The public context a request asks for, if a stored answer could serve it."""
    path = request.path_info
    # A cheap test first: every other request of the site goes by with only this.
    if request.method not in ALLOWED_METHODS or "/ctx/" not in path or path[-1] != "/":
        return None
    try:
        match = resolve(path, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if match.func is not context_view:
        return None  # a project's own wrapper: let it run
    context = match.kwargs.get("context", match.args[0] if match.args else None)
    if not isinstance(context, str):
        return None
    host = request.get_host()  # DisallowedHost becomes Django's 400, as further down
    if settings.PREPEND_WWW and not host.startswith("www."):
        return None  # CommonMiddleware redirects it
    try:
        spec = context_operation(get_schema(), context)
    except RegistrationError:
        return None  # the view answers (and logs) a misconfigured schema
    if spec is None or not _public(spec):
        return None
    try:
        return spec, _prepare(spec, request)
    except (ClientError, TooManyFieldsSent):
        return None  # the view answers the 400


def _public(spec: ContextOperation) -> bool:
    public: bool | None = spec.__dict__.get("_mizan_public_hit")
    if public is None:
        policy = spec.policy
        public = (
            policy.cache == "public"
            and policy.ttl > 0
            and all(entry.options.auth in (None, False) for entry in spec.entries)
        )
        spec.__dict__["_mizan_public_hit"] = public
    return public


def _lookup(spec: ContextOperation, prepared: _Prepared) -> tuple[str, bytes] | None:
    found = context_store.lookup(spec.name, prepared.values, prepared.public_key, prepared.tokens)
    return found.value if found.hit else None


def _answer(
    request: HttpRequest, spec: ContextOperation, prepared: _Prepared, stored: tuple[str, bytes]
) -> HttpResponseBase:
    etag, content = stored
    response = _respond(request, spec, prepared.values, content, etag, prepared.headers)
    # What CommonMiddleware adds further down, which this response does not pass.
    response.headers["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
    return response
