"""``InvalidationMiddleware``: ``X-Mizan-Invalidate`` for invalidations made anywhere.

GraphQL responses and ``@view`` views report their invalidations by themselves. Add this
middleware when plain views, other middleware or signal handlers run during a request
call ``invalidate()``, or when templates of views without ``@view`` use
``{% mizan_hydrate %}`` (a page embedding a private context gets
``Cache-Control: private``)::

    MIDDLEWARE = [..., "mizan_gql.contexts.middleware.InvalidationMiddleware"]
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from .extension import merge_invalidate_header
from .hydration import hydrated_policy
from .invalidation import collecting
from .policy import ContextPolicy, restrict

__all__ = ["CollectingMiddleware", "HybridMiddleware", "InvalidationMiddleware"]


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
