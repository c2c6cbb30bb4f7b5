"""System checks of the APQ store: bounded (``mizan_gql.W080``), shared (``W081``, deploy)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

from ..conf import mizan_settings
from ..conf_checks import unshared_cache_warning
from .store import apq_cache_alias

try:
    import redis
except ImportError:  # without the "redis" extra no Redis cache can be configured
    redis = None  # type: ignore[assignment]

__all__ = ["LOCAL_CACHES", "REDIS_CACHES", "check_apq_eviction", "check_apq_store_deploy"]

REDIS_CACHES = ("django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache")
# What each cache that lives in one process means for the APQ store.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": (
        "LocMemCache: each server process keeps the documents registered with it, so a "
        "client whose requests reach another process gets PersistedQueryNotFound and "
        "registers again (and has a registration budget in each process)"
    ),
    "django.core.cache.backends.dummy.DummyCache": (
        "DummyCache: registered documents are never stored, so every hash-only request "
        "answers PersistedQueryNotFound"
    ),
}


def check_apq_eviction(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when APQ entries never expire and their Redis never evicts them."""
    if mizan_settings.PERSISTED_QUERIES != "apq" or mizan_settings.APQ_TTL is not None:
        return []
    alias = apq_cache_alias()
    config = settings.CACHES.get(alias) or {}
    memory = _maxmemory(config)
    if memory is None:
        return []
    policy, maxmemory = memory
    if policy.startswith("allkeys-") and maxmemory > 0:
        return []
    return [
        checks.Warning(
            f"The APQ store (CACHES[{alias!r}]) is a Redis server that never evicts its "
            f"entries (maxmemory-policy {policy!r}, maxmemory {maxmemory}) and "
            "MIZAN['APQ_TTL'] is None: clients can register documents until Redis runs out "
            "of memory.",
            hint="Set MIZAN['APQ_TTL'] to a number of seconds (the default is 86400), or "
            "give this Redis a maxmemory and an allkeys-lru or allkeys-lfu policy.",
            id="mizan_gql.W080",
        )
    ]


def check_apq_store_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """(``check --deploy``) Warn when the APQ store lives in one process, or nowhere."""
    if mizan_settings.PERSISTED_QUERIES != "apq":
        return []
    return unshared_cache_warning(
        apq_cache_alias(),
        "The APQ store",
        LOCAL_CACHES,
        hint=", for MIZAN['APQ_CACHE'] (or MIZAN['CACHE']).",
        id="mizan_gql.W081",
    )


def _maxmemory(config: dict[str, Any]) -> tuple[str, int] | None:
    """The eviction policy and memory limit of a Redis cache; None for other caches or
    when the server does not answer (then other checks and the first request tell)."""
    if redis is None or config.get("BACKEND") not in REDIS_CACHES:
        return None
    location = config.get("LOCATION")
    # Django's RedisCache writes to the first of several servers.
    servers = re.split("[;,]", location) if isinstance(location, str) else location
    if not servers:
        return None
    options = config.get("OPTIONS") or {}
    password = options.get("password") or options.get("PASSWORD")
    try:
        client = redis.Redis.from_url(
            str(servers[0]).strip(),
            password=password,
            socket_connect_timeout=1,
            socket_timeout=1,
        )
        try:
            found = client.config_get("maxmemory*")
        finally:
            client.close()
        return str(found["maxmemory-policy"]), int(str(found["maxmemory"]))
    except Exception:  # unreachable, CONFIG disabled (managed Redis), an odd reply
        return None
