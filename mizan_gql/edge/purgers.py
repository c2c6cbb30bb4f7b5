"""Purger backends: tell the edge what a request invalidated.

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
sends it wherever it wants. Failures are logged, never raised: the data has already changed
and the request that changed it must still succeed.
"""

from __future__ import annotations

import http.client
import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf import mizan_settings
from .resolver import Resolution

__all__ = ["BasePurger", "LoggingPurger", "VarnishPurger", "get_purgers", "load_purger"]

logger = logging.getLogger("mizan_gql.edge")

# Request header the generated VCL reads on a PURGE to purge by tag (xkey) instead of URL.
TAGS_HEADER = "X-Mizan-Purge-Tags"


class BasePurger:
    """Subclass and implement :meth:`purge`. ``OPTIONS`` arrive as keyword arguments."""

    def __init__(self, **options: Any) -> None:
        if options:
            raise TypeError(f"{type(self).__name__} takes no options, got {sorted(options)}")

    def purge(self, resolution: Resolution) -> None:
        """Purge ``resolution.urls``, ``.tags`` and/or ``.prefixes`` from the edge."""
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


class VarnishPurger(BasePurger):
    """Purges Varnish servers running the VCL of ``export_edge_manifest --format vcl``.

    Each exact URL gets ``PURGE <path>`` (``Host`` from the URL, or ``host``); tags get one
    ``PURGE /`` carrying ``X-Mizan-Purge-Tags: <tags>``, which the VCL hands to
    ``xkey.purge``. Tags also cover what URLs cannot list (a whole context), so keep
    ``tags=True`` unless your Varnish has no xkey.
    """

    def __init__(
        self,
        servers: Sequence[str] = ("http://127.0.0.1:6081",),
        host: str | None = None,
        urls: bool = True,
        tags: bool = True,
        timeout: float = 2.0,
    ) -> None:
        if isinstance(servers, str):
            servers = [servers]
        self.servers = [_server(s) for s in servers]
        self.host = host
        self.urls = urls
        self.tags = tags
        self.timeout = float(timeout)

    def purge(self, resolution: Resolution) -> None:
        for server in self.servers:
            if self.urls:
                for url in resolution.urls:
                    parts = urlsplit(url)
                    target = parts.path + (f"?{parts.query}" if parts.query else "")
                    host = self.host or parts.netloc or server[1]
                    self._send(server, target or "/", {"Host": host})
            if self.tags and resolution.tags:
                host = self.host or server[1]
                self._send(server, "/", {"Host": host, TAGS_HEADER: " ".join(resolution.tags)})

    def _send(self, server: tuple[str, str], target: str, headers: dict[str, str]) -> None:
        scheme, netloc = server
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = cls(netloc, timeout=self.timeout)
        try:
            connection.request("PURGE", target, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 300:
                logger.warning(
                    "Varnish %s answered %s to PURGE %s", netloc, response.status, target
                )
        except (OSError, http.client.HTTPException) as exc:
            logger.warning("Varnish %s could not purge %s: %s", netloc, target, exc)
        finally:
            connection.close()


def _server(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Varnish server {url!r} must be an URL such as 'http://127.0.0.1:6081'")
    return parts.scheme, parts.netloc


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
