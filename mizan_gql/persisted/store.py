"""The APQ store: registered documents in the Django cache ``MIZAN["APQ_CACHE"]``.

Each document is kept ``MIZAN["APQ_TTL"]`` seconds: a client whose hash was forgotten gets
``PersistedQueryNotFound`` and registers it again, as Apollo's protocol expects, so the
store holds only what clients used lately instead of everything anyone ever sent.
"""

from __future__ import annotations

import logging

from django.core.cache import BaseCache, caches

from ..conf import mizan_settings

__all__ = ["KEY_PREFIX", "apq_cache", "apq_cache_alias", "load", "save"]

logger = logging.getLogger("mizan_gql")

KEY_PREFIX = "mizan:apq:"


def apq_cache_alias() -> str:
    """The alias of the APQ store: ``APQ_CACHE``, else the contexts' ``CACHE``."""
    alias: str | None = mizan_settings.APQ_CACHE
    return alias if alias is not None else mizan_settings.CACHE  # type: ignore[no-any-return]


def apq_cache() -> BaseCache:
    return caches[apq_cache_alias()]


def load(sha256: str) -> str | None:
    """The document registered under ``sha256``, or None (also when the cache is down)."""
    try:
        value = apq_cache().get(KEY_PREFIX + sha256)
    except Exception:  # the backend is down: behave as if the hash were unknown
        logger.warning("APQ store unavailable; treating %s as unknown", sha256, exc_info=True)
        return None
    return value if isinstance(value, str) else None


def save(sha256: str, document: str) -> None:
    """Register ``document`` (its hash already verified) for ``APQ_TTL`` seconds."""
    try:
        apq_cache().set(KEY_PREFIX + sha256, document, timeout=mizan_settings.APQ_TTL)
    except Exception:
        logger.warning("APQ store unavailable; %s not registered", sha256, exc_info=True)
