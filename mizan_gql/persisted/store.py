"""The APQ store: registered documents in the Django cache ``MIZAN["CACHE"]``."""

from __future__ import annotations

import logging

from django.core.cache import caches

from ..conf import mizan_settings

__all__ = ["KEY_PREFIX", "load", "save"]

logger = logging.getLogger("mizan_gql")

KEY_PREFIX = "mizan:apq:"


def load(sha256: str) -> str | None:
    """The document registered under ``sha256``, or None (also when the cache is down)."""
    try:
        value = caches[mizan_settings.CACHE].get(KEY_PREFIX + sha256)
    except Exception:  # the backend is down: behave as if the hash were unknown
        logger.warning("APQ store unavailable; treating %s as unknown", sha256, exc_info=True)
        return None
    return value if isinstance(value, str) else None


def save(sha256: str, document: str) -> None:
    """Register ``document`` (its hash already verified); kept until the cache evicts it."""
    try:
        caches[mizan_settings.CACHE].set(KEY_PREFIX + sha256, document, timeout=None)
    except Exception:
        logger.warning("APQ store unavailable; %s not registered", sha256, exc_info=True)
