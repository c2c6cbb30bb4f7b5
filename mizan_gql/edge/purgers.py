"""Purger backends: tell the edge what was invalidated.

Configured by dotted path in ``MIZAN["EDGE_PURGERS"]`` (like Django's cache backends)::

    MIZAN = {
        "EDGE_BASE_URL": "https://example.com",
        "EDGE_PURGERS": [
            "mizan_gql.edge.LoggingPurger",
            {"BACKEND": "mizan_gql.edge.VarnishPurger",
             "OPTIONS": {"servers": ["http://127.0.0.1:6081"]}},
        ],
    }

A purger gets a :class:`~mizan_gql.edge.resolver.Resolution` (URLs, tags, prefixes) and
sends it wherever it wants. It runs in the edge purge task (:mod:`mizan_gql.edge.tasks`),
never in the request: a purger that cannot purge raises, and the task retries it with
exponential backoff (:class:`~mizan_gql.edge.purge_api.PurgeError` with ``retryable=False``
gives up at once), then logs what it could not purge.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import mizan_settings
from .resolver import Resolution

__all__ = ["BasePurger", "LoggingPurger", "batches", "get_purgers", "load_purger"]

T = TypeVar("T")


class BasePurger:
    """Subclass and implement :meth:`purge`. ``OPTIONS`` arrive as keyword arguments."""

    def __init__(self, **options: Any) -> None:
        if options:
            raise TypeError(f"{type(self).__name__} takes no options, got {sorted(options)}")

    def purge(self, resolution: Resolution) -> None:
        """Purge ``resolution.urls``, ``.tags`` and/or ``.prefixes`` from the edge; raise
        when the edge did not take it (the task retries). Purges are idempotent: a retry
        sends the whole resolution again."""
        raise NotImplementedError


class LoggingPurger(BasePurger):
    """Logs what would be purged (logger ``mizan_gql.edge``): for development and audits."""

    def __init__(self, level: str | int = "INFO", logger_name: str = "mizan_gql.edge") -> None:
        self.level = logging.getLevelName(level) if isinstance(level, str) else level
        if not isinstance(self.level, int):
            raise ValueError(f"Unknown log level {level!r}")
        self.logger = logging.getLogger(logger_name)

    def purge(self, resolution: Resolution) -> None:
        self.logger.log(
            self.level,
            "edge purge urls=%s tags=%s prefixes=%s",
            " ".join(resolution.urls) or "-",
            " ".join(resolution.tags) or "-",
            " ".join(resolution.prefixes) or "-",
        )


def batches(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (the limit of a purge API call)."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def load_purger(item: Any) -> BasePurger:
    """A purger from a dotted path or ``{"BACKEND": path, "OPTIONS": {...}}``."""
    options: dict[str, Any]
    if isinstance(item, str):
        path, options = item, {}
    elif isinstance(item, dict) and isinstance(item.get("BACKEND"), str):
        path, options = item["BACKEND"], item.get("OPTIONS") or {}
    else:
        raise ImproperlyConfigured(
            f"MIZAN['EDGE_PURGERS'] item {item!r} must be a dotted path or "
            "{'BACKEND': 'dotted.path', 'OPTIONS': {...}}."
        )
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Cannot import the edge purger {path!r}: {exc}") from exc
    try:
        return cls(**options)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"Cannot create the edge purger {path!r}: {exc}") from exc


def get_purgers() -> list[BasePurger]:
    """The purgers of ``MIZAN["EDGE_PURGERS"]``, created once per settings value."""
    global _loaded
    configured = mizan_settings.EDGE_PURGERS
    if _loaded is None or _loaded[0] is not configured:
        _loaded = (configured, [load_purger(item) for item in configured])
    return list(_loaded[1])


_loaded: tuple[Any, list[BasePurger]] | None = None
