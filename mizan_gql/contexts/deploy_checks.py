"""The deployment check of the contexts (``manage.py check --deploy``): ``mizan_gql.W021``."""

from __future__ import annotations

from typing import Any

from django.core import checks

from ..conf import mizan_settings
from ..conf_checks import unshared_cache_warning
from ..registry.core import get_registry

__all__ = ["LOCAL_CACHES", "check_context_cache_deploy"]

# What each cache that lives in one process (or nowhere) means for the contexts.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": (
        "LocMemCache: each server process keeps its own context entries and versions, so "
        "invalidate() reaches only the process that calls it and the others serve stale "
        "entries until their ttl ends"
    ),
    "django.core.cache.backends.dummy.DummyCache": (
        "DummyCache: context entries are never stored, so every request computes them"
    ),
}


def check_context_cache_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when the contexts' cache is not shared by the server processes."""
    if not get_registry().contexts():
        return []
    return unshared_cache_warning(
        mizan_settings.CACHE,
        "The contexts' cache MIZAN['CACHE']",
        LOCAL_CACHES,
        hint=" (docs/contexts.md).",
        id="mizan_gql.W021",
    )
