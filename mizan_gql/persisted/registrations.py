"""How many APQ documents one client may register: a budget per client and time window.

Every client of Apollo's protocol (Apollo's link, urql's exchange, mizan's own) first sends
a hash alone; on ``PersistedQueryNotFound`` it resends the document with its hash, which
registers it. Apollo's link reads only that first answer: an error on the registration
itself reaches the application as a failed query. So the budget is spent when the miss is
answered, and the registration that follows (within the window) is admitted by a marker
the miss left. A client without budget left is answered ``PersistedQueryNotSupported`` at
its hash-only request: it stops hashing and sends the document as plain text, which runs.
A client that sends a document with its hash straight away spends the budget then.

The counters live in the APQ store's Django cache (``MIZAN["APQ_CACHE"]``): with Redis,
the budget is shared by every process; with LocMem, each process counts alone.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import BaseCache

from ..conf import mizan_settings
from .store import KEY_PREFIX, apq_cache

__all__ = ["admit_miss", "admit_registration", "client_key", "limits"]

logger = logging.getLogger("mizan_gql")


def limits() -> tuple[int, int] | None:
    """``(registrations, seconds)`` a client may make, or None without a limit."""
    limit: int | None = mizan_settings.APQ_MAX_REGISTRATIONS
    if limit is None:
        return None
    return limit, mizan_settings.APQ_REGISTRATION_WINDOW


def client_key(request: Any) -> str:
    """Who spends the budget: the signed-in user, else the client's IP address.

    Behind a proxy, ``REMOTE_ADDR`` is the proxy's unless a middleware you trust sets it
    from ``X-Forwarded-For``.
    """
    try:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
    except Exception:  # a user that cannot be loaded here counts as its address
        pass
    meta = getattr(request, "META", None) or {}
    return f"ip:{meta.get('REMOTE_ADDR') or 'unknown'}"


def admit_miss(request: Any, sha256: str) -> bool:
    """A hash-only request for an unknown document: spend one registration now (False
    when none is left), and admit the registration of ``sha256`` that follows."""
    bounds = limits()
    if bounds is None:
        return True
    limit, window = bounds
    client = client_key(request)
    counter = _counter_key(client, window)
    try:
        cache = apq_cache()
        if (cache.get(counter) or 0) >= limit:
            return False  # spent: answered without writing anything
        if _count(cache, counter, window) > limit:
            return False
        cache.set(_marker_key(client, sha256), 1, timeout=window)
    except Exception:  # the store is down too: nothing can be registered anyway
        logger.warning("APQ registration budget unavailable", exc_info=True)
    return True


def admit_registration(request: Any, sha256: str) -> bool:
    """A document sent with its hash: admitted when its miss was counted, else it spends
    one registration (False when none is left)."""
    bounds = limits()
    if bounds is None:
        return True
    limit, window = bounds
    client = client_key(request)
    try:
        cache = apq_cache()
        if cache.get(_marker_key(client, sha256)) is not None:
            return True
        return _count(cache, _counter_key(client, window), window) <= limit
    except Exception:
        logger.warning("APQ registration budget unavailable", exc_info=True)
        return True


def _counter_key(client: str, window: int) -> str:
    return f"{KEY_PREFIX}budget:{client}:{int(time.time()) // window}"


def _marker_key(client: str, sha256: str) -> str:
    return f"{KEY_PREFIX}miss:{client}:{sha256}"


def _count(cache: BaseCache, key: str, window: int) -> int:
    """Add one to the counter ``key`` (created for ``window`` seconds); its new value."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
