"""Views of the edge test project, and the origin's request log the Varnish tests read."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

from mizan_gql import view

from .mizan_clients import display_name

# Requests that reached the origin, by full path (method prefix for non-GET).
HITS: Counter[str] = Counter()
# X-Mizan-Invalidate headers the origin received from clients (the edge must strip them).
RECEIVED_INVALIDATE: list[str] = []


class OriginLog:
    """Middleware: count what reaches the origin, so tests can tell edge hits from misses."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if not request.path.startswith("/_origin/"):
            prefix = "" if request.method in ("GET", "HEAD") else f"{request.method} "
            HITS[prefix + request.get_full_path()] += 1
            if "HTTP_X_MIZAN_INVALIDATE" in request.META:
                RECEIVED_INVALIDATE.append(request.META["HTTP_X_MIZAN_INVALIDATE"])
        return self.get_response(request)


def origin_log(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"hits": dict(HITS), "received_invalidate": RECEIVED_INVALIDATE})
    response["Cache-Control"] = "no-store"
    return response


@view(context="user")
def profile_page(request: HttpRequest, user_id: int) -> HttpResponse:
    return HttpResponse(f"<h1>{escape(display_name(user_id))}</h1>")


def broken(request: HttpRequest) -> HttpResponse:
    """An error that (wrongly) says it may be shared: the edge must still not keep it."""
    response = HttpResponse(json.dumps({"error": "boom"}), status=500)
    response["Cache-Control"] = "public, s-maxage=600"
    return response


def with_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("cookie")
    response["Cache-Control"] = "public, s-maxage=600"
    response.set_cookie("flavour", "oat")
    return response
