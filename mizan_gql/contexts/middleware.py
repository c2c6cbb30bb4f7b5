"""The contexts' middleware, for sync and async stacks alike.

``InvalidationMiddleware`` - ``X-Mizan-Invalidate`` for invalidations made anywhere.
GraphQL responses and ``@view`` views report their invalidations by themselves. Add this
middleware when plain views, other middleware or signal handlers run during a request
call ``invalidate()``, or when templates of views without ``@view`` use
``{% mizan_hydrate %}`` (a page embedding a private context gets
``Cache-Control: private``)::

    MIDDLEWARE = [..., "mizan_gql.contexts.middleware.InvalidationMiddleware"]

``ContextCacheMiddleware`` - public context hits answered before the rest of the stack.
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

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve

from ..exceptions import ClientError, RegistrationError
from ..schema import get_schema
from ..signals import context_read
from .endpoint import (
    ALLOWED_METHODS,
    READING,
    ContextRequest,
    context_view,
    is_endpoint_path,
    prepare,
    respond,
)
from .extension import merge_invalidate_header
from .hydration import hydrated_policy
from .invalidation import collecting
from .keys import PUBLIC_SCOPE
from .operation import ContextOperation, context_operation
from .policy import ContextPolicy, restrict
from .reporting import report_endpoint_hit
from .store import CacheUnavailable, Lookup, aguarded, guarded, lookup

__all__ = [
    "CollectingMiddleware",
    "ContextCacheMiddleware",
    "HybridMiddleware",
    "InvalidationMiddleware",
    "lookup_public",
    "servable_hit",
]


class HybridMiddleware:
    """A middleware for sync and async stacks alike: :meth:`_call` in a sync stack,
    :meth:`_acall` in an async one (no thread hop either way)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        return self._call(request)

    def _call(self, request: HttpRequest) -> Any:
        raise NotImplementedError

    async def _acall(self, request: HttpRequest) -> Any:
        raise NotImplementedError


class CollectingMiddleware(HybridMiddleware):
    """Run the rest of the request while collecting the invalidations it makes.

    Subclasses handle the collected entries in :meth:`finish` (and :meth:`afinish` when
    that must not block the event loop). Works in sync and async middleware stacks.
    """

    def _call(self, request: HttpRequest) -> Any:
        with collecting() as entries:
            response = self.get_response(request)
        return self.finish(request, response, entries)

    async def _acall(self, request: HttpRequest) -> Any:
        get_response: Callable[[HttpRequest], Awaitable[Any]] = self.get_response
        with collecting() as entries:
            response = await get_response(request)
        return await self.afinish(request, response, entries)

    def finish(self, request: HttpRequest, response: Any, entries: list[Any]) -> Any:
        return response

    async def afinish(self, request: HttpRequest, response: Any, entries: list[Any]) -> Any:
        return self.finish(request, response, entries)


class InvalidationMiddleware(CollectingMiddleware):
    """Collect the request's invalidations and add them to the response header."""

    def finish(self, request: HttpRequest, response: Any, entries: list[Any]) -> Any:
        return _finish(request, response, entries)


def _finish(request: HttpRequest, response: Any, entries: list[Any]) -> Any:
    if not isinstance(response, HttpResponseBase):
        return response
    if entries:
        merge_invalidate_header(response, entries)
        restrict(response, "no-store")  # a response that changed data is never cached
    hydrated = hydrated_policy(request)
    if hydrated in ("private", "none"):
        restrict(response, ContextPolicy(hydrated, 0).cache_control)
    return response


class ContextCacheMiddleware(HybridMiddleware):
    """Serve stored responses of public contexts without the rest of the middleware."""

    def _call(self, request: HttpRequest) -> Any:
        found = servable_hit(request)
        if found is not None:
            try:
                stored = guarded(READING, lambda: lookup_public(*found))
            except CacheUnavailable:
                stored = None
            if stored is not None and stored.hit:
                return answer_hit(request, *found, stored)
        return self.get_response(request)

    async def _acall(self, request: HttpRequest) -> Any:
        found = servable_hit(request)
        if found is not None:
            try:
                stored = await aguarded(READING, lambda: lookup_public(*found))
            except CacheUnavailable:
                stored = None
            if stored is not None and stored.hit:
                return answer_hit(request, *found, stored)
        get_response: Callable[[HttpRequest], Awaitable[Any]] = self.get_response
        return await get_response(request)


def servable_hit(request: HttpRequest) -> tuple[ContextOperation, ContextRequest] | None:
    """The public context a request asks for, if a stored answer could serve it."""
    path = request.path_info
    # A cheap test first: every other request of the site goes by with only this.
    if request.method not in ALLOWED_METHODS or "/ctx/" not in path or path[-1] != "/":
        return None
    context = endpoint_context(path, getattr(request, "urlconf", None))
    if context is None:
        return None
    host = request.get_host()  # DisallowedHost becomes Django's 400, as further down
    if settings.PREPEND_WWW and not host.startswith("www."):
        return None  # CommonMiddleware redirects it
    try:
        spec = context_operation(get_schema(), context)
    except RegistrationError:
        return None  # the view answers (and logs) a misconfigured schema
    if spec is None or not spec.public_hit:
        return None
    try:
        return spec, prepare(spec, request)
    except (ClientError, TooManyFieldsSent):
        return None  # the view answers the 400


# Paths resolved lately (per URLconf): the context endpoint they are, or None.
MAX_RESOLVED = 1024
_resolved: dict[tuple[Any, str], str | None] = {}


@receiver(setting_changed)
def _forget_resolved(**kwargs: Any) -> None:
    _resolved.clear()


def endpoint_context(path: str, urlconf: Any = None) -> str | None:
    """The context whose endpoint ``path`` is, or None; resolved once per path."""
    try:
        return _resolved[urlconf, path]
    except KeyError:
        pass
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        context = None
    else:
        found = match.kwargs.get("context", match.args[0] if match.args else None)
        # Not context_view: a project's own wrapper, which must run.
        if match.func is context_view and isinstance(found, str):
            context = found if is_endpoint_path(path, found) else None
        else:
            context = None
    if len(_resolved) >= MAX_RESOLVED:
        _resolved.clear()
    _resolved[urlconf, path] = context
    return context


def lookup_public(spec: ContextOperation, asked: ContextRequest) -> Lookup:
    """The stored response of a public context and whether it is current."""
    return lookup(spec.name, asked.values, asked.public_key, asked.tokens)


def answer_hit(
    request: HttpRequest,
    spec: ContextOperation,
    context_request: ContextRequest,
    stored: Lookup,
) -> HttpResponseBase:
    if context_read.receivers:
        report_endpoint_hit(spec, context_request.values, PUBLIC_SCOPE, stored.expires)
    etag, content = stored.value
    response = respond(request, spec, context_request, content, etag)
    # What CommonMiddleware adds further down, which this response does not pass.
    response.headers["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
    return response
