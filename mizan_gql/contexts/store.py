"""The context cache on Django's cache framework (alias ``MIZAN["CACHE"]``).

Every entry depends on version tokens (see :func:`keys.token_keys`). A reader reads the
tokens *before* computing and stores the value together with the version they make; an
invalidation replaces a token with a fresh random one. A value computed before an
invalidation therefore carries an old version and is never served again, whatever the
interleaving. A missing token (never written, expired or evicted) is created with
``add()``, so an eviction can only make entries unreachable, never revive old ones.

Backend failures never reach the request: :class:`CacheUnavailable` tells the caller to
compute uncached, and one warning is logged per minute per process.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

from ..conf import mizan_settings
from .keys import token_keys

logger = logging.getLogger("mizan_gql.contexts")

T = TypeVar("T")

# Tokens outlive entries so that a token expiring never costs more than one miss.
TOKEN_TTL = 24 * 60 * 60
WARNING_INTERVAL = 60.0


# Cache round trips get threads of their own: they never wait behind (or starve) the
# loop's default executor, which user code also uses. Socket timeouts bound each call.
_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="mizan-cache")


class CacheUnavailable(Exception):
    """The cache backend failed; the caller computes without it."""


_warn_lock = threading.Lock()
_last_warning = 0.0


def warn_unavailable(exc: BaseException, doing: str) -> None:
    """Log a backend failure, at most once per :data:`WARNING_INTERVAL` per process."""
    global _last_warning
    now = time.monotonic()
    with _warn_lock:
        if _last_warning and now - _last_warning < WARNING_INTERVAL:
            return
        _last_warning = now
    logger.warning(
        "mizan_gql context cache %r failed while %s (%s: %s); serving uncached values. "
        "Further failures are not logged for %d seconds.",
        mizan_settings.CACHE,
        doing,
        type(exc).__name__,
        exc,
        int(WARNING_INTERVAL),
    )


def reset_warning() -> None:
    """Forget the last warning (tests use it to observe the next one)."""
    global _last_warning
    with _warn_lock:
        _last_warning = 0.0


def new_token() -> str:
    return secrets.token_hex(8)


# Django keeps one cache object per thread and per asyncio task, so an async view builds
# a new one on every request. A LocMemCache object is only a handle on the process-wide
# store and its lock: one handle per alias serves every task and thread.
_local_handles: dict[str, LocMemCache] = {}


def get_cache() -> BaseCache:
    alias = mizan_settings.CACHE
    handle = _local_handles.get(alias)
    if handle is not None:
        return handle
    cache = caches[alias]
    if type(cache) is LocMemCache:
        _local_handles[alias] = cache
    return cache


@receiver(setting_changed)
def _forget_handles(*, setting: str, **kwargs: Any) -> None:
    if setting in ("CACHES", "MIZAN"):
        _local_handles.clear()


def guarded(doing: str, func: Callable[[], T]) -> T:
    """Run a cache operation; any failure becomes :class:`CacheUnavailable` (and a warning)."""
    try:
        return func()
    except Exception as exc:
        warn_unavailable(exc, doing)
        raise CacheUnavailable(str(exc)) from exc


async def aguarded(doing: str, func: Callable[[], T]) -> T:
    """:func:`guarded` without blocking the event loop on a networked backend."""
    if isinstance(get_cache(), LocMemCache):
        return guarded(doing, func)  # in-process and lock-protected: no thread hop needed
    return await sync_to_async(guarded, thread_sensitive=False, executor=_executor)(doing, func)


# Versions of token combinations seen lately: a context endpoint's cache hit reads the
# same tokens again and again, and hashing them costs more than looking them up.
MAX_VERSIONS = 4096
_versions: dict[str, str] = {}


def _version(tokens: list[str]) -> str:
    joined = "|".join(tokens)
    version = _versions.get(joined)
    if version is None:
        version = hashlib.sha256(joined.encode()).hexdigest()[:32]
        if len(_versions) >= MAX_VERSIONS:
            _versions.clear()
        _versions[joined] = version
    return version


@dataclass
class Lookup:
    """The result of reading an entry: its current version and, on a hit, its value."""

    version: str
    hit: bool
    value: Any = None
    expires: float | None = None  # on a hit: when the entry expires (time.time())


def lookup(
    context: str,
    params: Mapping[str, Any],
    key: str | None,
    tokens: list[str] | None = None,
) -> Lookup:
    """Read the version tokens (creating missing ones) and, in the same round trip, ``key``.

    ``tokens`` are ``token_keys(context, params)`` when the caller has them already.
    """
    cache = get_cache()
    if tokens is None:
        tokens = token_keys(context, params)
    found = cache.get_many([*tokens, key] if key else tokens)
    missing = [t for t in tokens if t not in found]
    if missing:
        for token_key in missing:
            cache.add(token_key, new_token(), timeout=TOKEN_TTL)
        found.update(cache.get_many(missing))
        if any(t not in found for t in tokens):
            raise CacheUnavailable("version tokens cannot be stored")
    version = _version([str(found[t]) for t in tokens])
    stored = found.get(key) if key else None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == version:
        return Lookup(version, True, stored[1], stored[2])
    return Lookup(version, False)


def current_version(context: str, params: Mapping[str, Any]) -> str:
    return lookup(context, params, None).version


def store(key: str, version: str, value: Any, ttl: int) -> None:
    # The version travels with the value: a reader whose tokens changed since this value
    # was computed sees a different version and treats the entry as a miss. The expiry
    # travels too, for the time left that mizan_gql.signals.context_read reports.
    get_cache().set(key, (version, value, time.time() + ttl), timeout=ttl)


def bump(token_keys_: list[str]) -> None:
    """Give each token a fresh value: every entry depending on one becomes unreachable."""
    get_cache().set_many({key: new_token() for key in token_keys_}, timeout=TOKEN_TTL)
