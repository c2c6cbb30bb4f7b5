"""Checks of the observability set-up (ids in docs/checks.md)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.cache.backends.dummy import DummyCache

from ..contexts.store import get_cache

__all__ = ["check_observability"]


def check_observability(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        cache = get_cache()
    except Exception:
        return []  # a missing alias is mizan_gql.E004
    if isinstance(cache, DummyCache):
        return [
            checks.Warning(
                "mizan_gql.observability counts context reads in MIZAN['CACHE'], a "
                "DummyCache: the admin's Contexts page will show no counters and no "
                "recent invalidations.",
                hint="Use a cache that stores values (Redis in production).",
                id="mizan_gql.W095",
            )
        ]
    return []
