"""The benchmarked endpoints, all served by the same Django project and ASGI server.

* ``/plain/``: a plain ``JsonResponse`` view, the floor.
* ``/graphql`` and ``/graphql/ctx/<context>/``: mizan_gql (context hits are answered at the
  ASGI layer by ``wrap_asgi``, or by ``ContextCacheMiddleware`` without it: bench/asgi.py).
* ``/view-path/ctx/<context>/``: the context endpoint's view by a route of its own, which
  both leave to the view: the hit path through the whole stack.
* ``/strawberry/``: Strawberry's own async view on the same types, default extensions.
* ``/strawberry-cached/``: the same with Strawberry's ParserCache and ValidationCache.
"""

from __future__ import annotations

from typing import Any

import strawberry
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import AsyncGraphQLView
from strawberry.extensions import ParserCache, ValidationCache

from mizan_gql import get_schema
from mizan_gql.http import context_view


async def plain(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"data": {"echo": {"message": request.GET.get("text", "hi")}}},
        json_dumps_params={"separators": (",", ":")},
    )


async def context_view_path(request: HttpRequest, context: str) -> Any:
    return await context_view(request, context)


class _LazyStrawberryView(AsyncGraphQLView):
    """Strawberry's view on a schema made of mizan's root types (built on first use)."""

    cached = False
    _schemas: dict[bool, Any] = {}

    async def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if self.cached not in self._schemas:
            ours = get_schema()
            extensions: list[Any] = (
                [lambda: ParserCache(maxsize=128), lambda: ValidationCache(maxsize=128)]
                if self.cached
                else []
            )
            self._schemas[self.cached] = strawberry.Schema(
                query=ours.query, mutation=ours.mutation, config=ours.config, extensions=extensions
            )
        self.schema = self._schemas[self.cached]
        return await super().dispatch(request, *args, **kwargs)


class _CachedStrawberryView(_LazyStrawberryView):
    cached = True


urlpatterns = [
    path("plain/", plain),
    path("graphql", include("mizan_gql.urls")),
    path("view-path/ctx/<str:context>/", context_view_path),
    path("strawberry/", csrf_exempt(_LazyStrawberryView.as_view(schema=None, graphql_ide=None))),
    path(
        "strawberry-cached/",
        csrf_exempt(_CachedStrawberryView.as_view(schema=None, graphql_ide=None)),
    ),
]
