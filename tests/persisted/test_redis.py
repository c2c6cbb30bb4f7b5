"""APQ registrations and the context fast path on a real Redis server."""

from __future__ import annotations

import os
import uuid

import pytest
from django.test import override_settings

from mizan_gql.contexts import ainvalidate
from mizan_gql.persisted import document_hash
from mizan_gql.schema.builder import reset_schema
from tests.persisted_app import mizan_clients

from .conftest import apq_get, apq_post, body_of, codes, persisted, unique_echo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_cache(redis_server):
    """MIZAN["CACHE"] on Redis, under a key prefix of this worker (removed afterwards)."""
    import redis

    prefix = f"pqtest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{redis_server}/0",
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(CACHES=caches, MIZAN={"CACHE": "redis"}):
        yield prefix
    client = redis.Redis.from_url(f"{redis_server}/0")
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


async def test_apq_registration_is_shared_through_redis(gql, redis_cache):
    import redis

    query = unique_echo()
    sha256 = document_hash(query)
    assert codes(await apq_get(gql, sha256, {"text": "x"})) == ["PERSISTED_QUERY_NOT_FOUND"]
    await apq_post(
        gql, {"query": query, "variables": {"text": "x"}, "extensions": persisted(sha256)}
    )
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    assert list(client.scan_iter(match=f"{redis_cache}:*apq*{sha256}"))  # really in Redis
    client.close()
    reset_schema()  # as another process would: no local memory of the document
    assert body_of(await apq_get(gql, sha256, {"text": "y"})) == {
        "data": {"echo": {"message": "y"}}
    }


async def test_context_fast_path_and_invalidation_on_redis(gql, redis_cache, calls, graphql_work):
    first = await gql.get("/graphql/ctx/pq_user/?user_id=9")
    executed = graphql_work["execute"]
    second = await gql.get("/graphql/ctx/pq_user/?user_id=9")
    assert second.content == first.content
    assert graphql_work["execute"] == executed and calls["pq_profile"] == 1
    mizan_clients.NAMES[9] = "Nine"
    await ainvalidate("pq_user", user_id=9)
    fresh = await gql.get("/graphql/ctx/pq_user/?user_id=9")
    assert body_of(fresh)["data"]["pqProfile"]["name"] == "Nine"
    assert calls["pq_profile"] == 2


async def test_context_cache_middleware_on_redis(gql, redis_cache, calls, passed):
    path = "/graphql/ctx/pq_user/?user_id=9"
    first = await gql.get(path)
    second = await gql.get(path)
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert passed["/graphql/ctx/pq_user/"] == 1  # the hit came from Redis, before the stack
    mizan_clients.NAMES[9] = "Nine"
    await ainvalidate("pq_user", user_id=9)
    fresh = await gql.get(path)
    assert body_of(fresh)["data"]["pqProfile"]["name"] == "Nine"
    assert passed["/graphql/ctx/pq_user/"] == 2 and calls["pq_profile"] == 2
