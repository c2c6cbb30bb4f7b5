"""A middleware that counts the requests reaching it: what ContextCacheMiddleware skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

PASSED: Counter[str] = Counter()


def counting(get_response: Callable[[HttpRequest], Any]) -> Callable[[HttpRequest], Any]:
    def middleware(request: HttpRequest) -> Any:
        PASSED[request.path] += 1
        return get_response(request)

    return middleware
