"""``@view(context=...)``: a Django view that renders a context (a page of it).

The decorator records the view (for the edge manifest and the system checks), makes the
context's values available to ``{% mizan_hydrate %}``, reports invalidations made by the
view in ``X-Mizan-Invalidate`` and gives its responses the context's cache headers::

    @mizan_gql.view(context="user")
    def profile(request, user_id: int):
        return render(request, "profile.html", {...})

URL parameters named like the context's parameters (``user_id``) select the entry.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from asgiref.sync import markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.template.response import SimpleTemplateResponse

from .extension import merge_invalidate_header
from .hydration import hydrated_policy
from .invalidation import collecting, context_params
from .policy import ContextPolicy, context_cache_headers, context_policy, restrict, strictest

__all__ = ["ViewEntry", "hydration_requests", "registered_views", "view"]

V = TypeVar("V", bound=Callable[..., Any])

REQUEST_ATTRIBUTE = "_mizan_contexts"


@dataclass(frozen=True)
class ViewEntry:
    """A view marked with :func:`view`: ``callback`` is what the URLconf routes to."""

    name: str
    context: str
    func: Callable[..., Any]
    callback: Callable[..., Any]

    @property
    def qualname(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_views: list[ViewEntry] = []


def registered_views() -> list[ViewEntry]:
    """Every view marked with :func:`view`, sorted by name (deterministic manifests)."""
    return sorted(_views, key=lambda v: (v.name, v.qualname))


def hydration_requests(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """(context, params) pairs the views handling ``request`` asked to hydrate."""
    return list(getattr(request, REQUEST_ATTRIBUTE, ()))


def view(func: V | None = None, /, *, context: str, name: str | None = None) -> Any:
    """Mark a Django view (function, or ``SomeView.as_view()``) as rendering ``context``.

    Sync and async views both work. ``name`` (default: the function's name) is the key
    of ``MIZAN["VIEW_URLS"]`` and of the edge manifest.
    """
    if not isinstance(context, str) or not context:
        raise TypeError("view(context=...) needs the name of a context, e.g. 'user'")

    def decorate(f: V) -> V:
        view_name: str = name or getattr(f, "__name__", None) or type(f).__name__

        def before(request: HttpRequest, kwargs: Mapping[str, Any]) -> dict[str, Any]:
            declared = context_params(context) or {}
            params = {k: kwargs[k] for k in declared if k in kwargs}
            asked = getattr(request, REQUEST_ATTRIBUTE, None)
            if asked is None:
                asked = []
                setattr(request, REQUEST_ATTRIBUTE, asked)
            asked.append((context, params))
            return params

        if inspect.iscoroutinefunction(f):

            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                params = before(request, kwargs)
                with collecting() as entries:
                    response = await f(request, *args, **kwargs)
                return _finish(request, response, context, params, entries)

            wrapper: Callable[..., Any] = markcoroutinefunction(async_wrapper)
        else:

            def sync_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                params = before(request, kwargs)
                with collecting() as entries:
                    response = f(request, *args, **kwargs)
                return _finish(request, response, context, params, entries)

            wrapper = sync_wrapper
        functools.update_wrapper(wrapper, f)
        wrapper.mizan_view = (context, view_name)  # type: ignore[attr-defined]
        _views[:] = [v for v in _views if v.func is not f]
        _views.append(ViewEntry(view_name, context, f, wrapper))
        return wrapper  # type: ignore[return-value]

    if func is not None:
        return decorate(func)
    return decorate


def _finish(
    request: HttpRequest, response: Any, context: str, params: dict[str, Any], entries: list[Any]
) -> Any:
    if not isinstance(response, HttpResponseBase):
        return response
    if entries:
        merge_invalidate_header(response, entries)
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        # {% mizan_hydrate %} runs when the response renders: decide the headers after.
        response.add_post_render_callback(
            lambda rendered: _cache_headers(request, rendered, context, params, entries)
        )
        return response
    return _cache_headers(request, response, context, params, entries)


def _cache_headers(
    request: HttpRequest,
    response: HttpResponseBase,
    context: str,
    params: dict[str, Any],
    entries: list[Any],
) -> HttpResponseBase:
    if entries:
        restrict(response, "no-store")  # a response that changed data is never cached
        return response
    policies = [context_policy(context).cache]
    hydrated = hydrated_policy(request)
    if hydrated is not None:
        policies.append(hydrated)  # a page embedding private data is private
    policy = strictest(policies)
    if policy != "public":
        restrict(response, ContextPolicy(policy, 0).cache_control)
    elif response.status_code == 200 and "Cache-Control" not in response:
        for header, value in context_cache_headers(context, params).items():
            response[header] = value
    return response


def iter_callbacks(callback: Any) -> Iterator[Any]:
    """The callback and the functions it wraps (decorators applied on top of ``view``)."""
    seen = set()
    while callback is not None and id(callback) not in seen:
        seen.add(id(callback))
        yield callback
        callback = getattr(callback, "__wrapped__", None)
