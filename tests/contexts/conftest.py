"""Fixtures of the contexts tests: the cache backend (LocMem and real Redis), a private
Redis server that can be stopped, counters reset per test, users."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.test import override_settings

from mizan_gql.contexts import store
from tests.conftest import REDIS_HOST, REDIS_PORT, require_redis
from tests.contexts_app import mizan_clients
from tests.support.fixtures import own_redis  # noqa: F401  (fixture)

# A database of its own on the shared Redis; keys also carry the xdist worker id, and only
# keys under our prefix are ever deleted.
REDIS_DB = 3
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def worker_prefix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"mizan-ctx-test-{worker}-{uuid.uuid4().hex[:8]}"


def redis_cache(location: str, prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": dict(REDIS_SOCKET_OPTIONS),
    }


def delete_prefixed(location: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(location, **REDIS_SOCKET_OPTIONS)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(params=["locmem", "redis"])
def context_cache(request) -> Iterator[str]:
    """Run the test on LocMemCache and on Django's RedisCache against the real Redis."""
    prefix = worker_prefix()
    if request.param == "redis":
        require_redis()
        location = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
        backend = redis_cache(location, prefix)
    else:
        location = ""
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "contexts": backend,
    }
    with override_settings(CACHES=caches, MIZAN={"CACHE": "contexts"}):
        try:
            yield request.param
        finally:
            if request.param == "redis":
                delete_prefixed(location, prefix)


@pytest.fixture(autouse=True)
def _fresh_counters() -> Iterator[None]:
    mizan_clients.CALLS.clear()
    mizan_clients.NAMES.clear()
    mizan_clients.GATES.clear()
    store.reset_warning()
    yield
    for _, release in mizan_clients.GATES.values():
        release.set()  # never leave a computation blocked


@pytest.fixture
def users(db):
    from django.contrib.auth.models import User

    return {
        "alice": User.objects.create_user("alice", password="pw"),
        "bob": User.objects.create_user("bob", password="pw"),
    }
