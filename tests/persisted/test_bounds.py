"""The APQ store is bounded: documents expire, registrations per client are limited, the
store may have a cache of its own, and a Redis that never evicts is a check warning.

Runs against the real Redis server (see ``redis_cache``); the check tests start a Redis of
their own, whose eviction policy they may change.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import AsyncClient, Client, override_settings

from mizan_gql.persisted import document_hash
from mizan_gql.persisted.checks import check_apq_eviction
from mizan_gql.schema.builder import reset_schema
from tests.conftest import GraphQLClient
from tests.support.fixtures import own_redis  # noqa: F401  (fixture)

from .conftest import apq_get, apq_post, body_of, codes, persisted, unique_echo

pytestmark = pytest.mark.django_db(transaction=True)

NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"


@pytest.fixture
def redis_caches(redis_server):
    """CACHES with "redis" (the real server, under a key prefix of this test) beside LocMem;
    yields a function applying MIZAN over it, and the Redis client to look inside."""
    import redis

    prefix = f"pqbounds-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{redis_server}/0",
            "KEY_PREFIX": prefix,
        },
    }
    client = redis.Redis.from_url(f"{redis_server}/0")

    def keys(pattern: str) -> list[bytes]:
        return list(client.scan_iter(match=f"{prefix}:*{pattern}"))

    with override_settings(CACHES=caches):
        yield keys, client
    found = keys("")
    if found:
        client.delete(*found)
    client.close()


class AsyncClientAt(AsyncClient):
    """An ASGI test client whose requests come from ``address`` (the scope's client)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    async def request(self, **request: Any) -> Any:
        return await super().request(client=[self.address, 0], **request)


def client_at(gql: GraphQLClient, address: str) -> GraphQLClient:
    """A new client of the kind of ``gql`` (WSGI or ASGI) at the IP address ``address``."""
    if gql.is_async:
        return GraphQLClient(AsyncClientAt(address), is_async=True)
    return GraphQLClient(Client(REMOTE_ADDR=address), is_async=False)


async def register(gql: GraphQLClient, query: str) -> dict[str, Any]:
    """Apollo's first two requests: the hash alone (a miss), then the text with the hash."""
    sha256 = document_hash(query)
    assert codes(await apq_get(gql, sha256, {"text": "x"})) == ["PERSISTED_QUERY_NOT_FOUND"]
    body = {"query": query, "variables": {"text": "x"}, "extensions": persisted(sha256)}
    return body_of(await apq_post(gql, body))


async def test_registered_documents_expire_after_apq_ttl(gql, redis_caches):
    keys, client = redis_caches
    with override_settings(MIZAN={"CACHE": "redis"}):
        query = unique_echo()
        assert await register(gql, query) == {"data": {"echo": {"message": "x"}}}
        [key] = keys(f"apq:{document_hash(query)}")
        assert 86000 < client.ttl(key) <= 86400  # the default APQ_TTL, one day

    with override_settings(MIZAN={"CACHE": "redis", "APQ_TTL": 1}):
        query = unique_echo()
        sha256 = document_hash(query)
        await register(gql, query)
        assert keys(f"apq:{sha256}")
        deadline = time.monotonic() + 15
        while keys(f"apq:{sha256}"):  # Redis expires it after the second
            assert time.monotonic() < deadline, "the APQ entry never expired"
            await asyncio.sleep(0.1)
        reset_schema()  # another process: only the store could know the document
        response = await apq_get(gql, sha256, {"text": "y"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_apq_documents_can_have_a_cache_of_their_own(gql, redis_caches):
    keys, _ = redis_caches
    with override_settings(MIZAN={"CACHE": "default", "APQ_CACHE": "redis"}):
        query = unique_echo()
        await register(gql, query)
        assert keys(f"apq:{document_hash(query)}")  # in Redis, not in the contexts' LocMem
        reset_schema()
        response = await apq_get(gql, document_hash(query), {"text": "z"})
        assert body_of(response) == {"data": {"echo": {"message": "z"}}}


@pytest.fixture
def limited(redis_caches):
    """Two registrations per client and minute, counted in Redis."""
    with override_settings(
        MIZAN={"CACHE": "redis", "APQ_MAX_REGISTRATIONS": 2, "APQ_REGISTRATION_WINDOW": 60}
    ):
        yield


def refused_for_the_limit(response) -> None:
    """The answer a client out of registrations gets: what every APQ client reads as
    "stop hashing, send the text", with the reason, never cached."""
    [error] = body_of(response)["errors"]
    assert error["message"] == "PersistedQueryNotSupported"
    assert error["extensions"]["code"] == NOT_SUPPORTED
    assert "MIZAN['APQ_MAX_REGISTRATIONS']" in error["extensions"]["reason"]
    assert not body_of(response).get("data")
    assert response["Cache-Control"] == "no-store"


async def test_a_client_registers_at_most_the_limit(gql, limited, calls):
    alice = client_at(gql, "10.20.0.1")
    for _ in range(2):
        assert await register(alice, unique_echo()) == {"data": {"echo": {"message": "x"}}}

    # Out of registrations: the hash-only request is told to stop hashing.
    query = unique_echo()
    refused_for_the_limit(await apq_get(alice, document_hash(query), {"text": "x"}))
    # A document sent with its hash straight away is refused before it runs...
    counted = f"# {uuid.uuid4().hex}\nquery {{ pqProfile(userId: 3) {{ name }} }}"
    body = {"query": counted, "extensions": persisted(document_hash(counted))}
    refused_for_the_limit(await apq_post(alice, body))
    assert calls["pq_profile"] == 0
    # ...and stored nowhere: nobody can run it by its hash.
    bob = client_at(gql, "10.20.0.2")
    assert codes(await apq_get(bob, document_hash(counted))) == ["PERSISTED_QUERY_NOT_FOUND"]
    # The same document as plain text runs, as any document does in "apq" mode.
    assert body_of(await alice.post(counted)) == {"data": {"pqProfile": {"name": "user3"}}}

    # Another client has its own budget.
    assert await register(bob, unique_echo()) == {"data": {"echo": {"message": "x"}}}


async def test_a_miss_admits_the_registration_that_follows(gql, limited):
    # Misses spend the budget: a registration announced by a miss is never refused, even
    # when other misses of the same client used up the rest meanwhile.
    carol = client_at(gql, "10.20.0.3")
    first, second = unique_echo(), unique_echo()
    for query in (first, second):
        response = await apq_get(carol, document_hash(query), {"text": "x"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    for query in (first, second):
        body = {
            "query": query,
            "variables": {"text": "x"},
            "extensions": persisted(document_hash(query)),
        }
        assert body_of(await apq_post(carol, body)) == {"data": {"echo": {"message": "x"}}}
    refused_for_the_limit(await apq_get(carol, document_hash(unique_echo())))


async def test_signed_in_users_have_a_budget_each(gql, limited, django_user_model):
    user = await django_user_model.objects.acreate(username="apq-dora")
    dora = client_at(gql, "10.20.0.4")
    await dora.force_login(user)
    for _ in range(2):
        await register(dora, unique_echo())
    refused_for_the_limit(await apq_get(dora, document_hash(unique_echo())))
    # Anonymous clients at the same address have its budget, untouched by the user's.
    anonymous = client_at(gql, "10.20.0.4")
    assert await register(anonymous, unique_echo()) == {"data": {"echo": {"message": "x"}}}


@dataclass
class ApolloLink:
    """What ``createPersistedQueryLink({sha256, useGETForHashedQueries: true})`` of
    @apollo/client does (src/link/persisted-queries/index.ts): the hash alone by GET; on
    errors of that first answer, "not supported" (by message or code) turns hashing off
    for good, and "not supported" or "not found" resends the text by POST (with the hash
    while hashing is on); the answer to that resend goes to the application as it is."""

    gql: GraphQLClient
    enabled: bool = True

    async def query(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        sha256 = document_hash(query)
        if self.enabled:
            first = body_of(await apq_get(self.gql, sha256, variables))
        else:
            first = body_of(await apq_post(self.gql, {"query": query, "variables": variables}))
        if not first.get("errors"):
            return first
        messages = {e.get("message") for e in first["errors"]}
        found_codes = {(e.get("extensions") or {}).get("code") for e in first["errors"]}
        not_supported = "PersistedQueryNotSupported" in messages or NOT_SUPPORTED in found_codes
        not_found = "PersistedQueryNotFound" in messages or (
            "PERSISTED_QUERY_NOT_FOUND" in found_codes
        )
        if not_supported:
            self.enabled = False
        if not (not_supported or not_found):
            return first
        body: dict[str, Any] = {"query": query, "variables": variables}
        if self.enabled:
            body["extensions"] = persisted(sha256)
        return body_of(await apq_post(self.gql, body))


async def test_apollos_link_keeps_working_when_its_client_is_out_of_registrations(gql, limited):
    link = ApolloLink(client_at(gql, "10.20.0.5"))
    for number in range(5):
        result = await link.query(unique_echo(), {"text": f"n{number}"})
        assert result == {"data": {"echo": {"message": f"n{number}"}}}  # never an error
    assert link.enabled is False  # after two registrations it sends plain documents


async def test_registrations_are_unlimited_without_a_limit(gql, redis_caches):
    erin = client_at(gql, "10.20.0.6")
    with override_settings(MIZAN={"CACHE": "redis", "APQ_MAX_REGISTRATIONS": None}):
        for _ in range(40):  # more than the default limit of 30
            assert await register(erin, unique_echo()) == {"data": {"echo": {"message": "x"}}}


# -- the check of the store's eviction (mizan_gql.W080) -------------------------------


def own_caches(url: str) -> dict[str, Any]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "apq": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }


def warning_w080(policy: str) -> Any:
    from django.core import checks

    return checks.Warning(
        f"The APQ store (CACHES['apq']) is a Redis server that never evicts its entries "
        f"(maxmemory-policy {policy!r}, maxmemory 0) and MIZAN['APQ_TTL'] is None: clients "
        "can register documents until Redis runs out of memory.",
        hint="Set MIZAN['APQ_TTL'] to a number of seconds (the default is 86400), or give "
        "this Redis a maxmemory and an allkeys-lru or allkeys-lfu policy.",
        id="mizan_gql.W080",
    )


def test_a_redis_apq_store_that_never_evicts_and_no_ttl_warns(own_redis):  # noqa: F811
    import redis

    with override_settings(CACHES=own_caches(own_redis.url)):
        with override_settings(MIZAN={"APQ_CACHE": "apq", "APQ_TTL": None}):
            assert check_apq_eviction() == [warning_w080("noeviction")]
            stderr = io.StringIO()
            call_command("check", stderr=stderr, stdout=io.StringIO())
            assert "(mizan_gql.W080) The APQ store (CACHES['apq'])" in stderr.getvalue()
        with override_settings(MIZAN={"APQ_CACHE": "apq"}):  # entries expire: bounded
            assert check_apq_eviction() == []
        server = redis.Redis.from_url(own_redis.url)
        server.config_set("maxmemory-policy", "allkeys-lru")
        with override_settings(MIZAN={"APQ_CACHE": "apq", "APQ_TTL": None}):
            assert check_apq_eviction() == [warning_w080("allkeys-lru")]  # no maxmemory
            server.config_set("maxmemory", "100mb")
            assert check_apq_eviction() == []  # Redis evicts the least used documents
            server.config_set("maxmemory-policy", "volatile-lru")  # only keys with a ttl
            assert [m.id for m in check_apq_eviction()] == ["mizan_gql.W080"]
        server.close()


def test_an_unreachable_redis_is_not_this_checks_business():
    caches = own_caches("redis://127.0.0.1:9/0")  # the discard port: nothing listens
    with override_settings(CACHES=caches, MIZAN={"APQ_CACHE": "apq", "APQ_TTL": None}):
        assert check_apq_eviction() == []


# -- the settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mizan", "expected"),
    [
        ({"APQ_TTL": None, "APQ_MAX_REGISTRATIONS": None, "APQ_CACHE": None}, []),
        ({"APQ_TTL": 3600, "APQ_MAX_REGISTRATIONS": 5, "APQ_REGISTRATION_WINDOW": 10}, []),
        (
            {"APQ_TTL": 0},
            [("mizan_gql.E003", "MIZAN['APQ_TTL'] must be a positive number, not 0.")],
        ),
        (
            {"APQ_REGISTRATION_WINDOW": None},
            [("mizan_gql.E002", "MIZAN['APQ_REGISTRATION_WINDOW'] must be int, not NoneType.")],
        ),
        (
            {"APQ_MAX_REGISTRATIONS": "30"},
            [("mizan_gql.E002", "MIZAN['APQ_MAX_REGISTRATIONS'] must be int or None, not str.")],
        ),
        (
            {"APQ_CACHE": "apq"},
            [
                (
                    "mizan_gql.E004",
                    "MIZAN['APQ_CACHE'] names the cache 'apq', which is not in settings.CACHES.",
                )
            ],
        ),
    ],
)
def test_the_apq_settings_are_checked(settings, mizan, expected):
    from mizan_gql.checks import check_settings

    settings.MIZAN = mizan
    assert [(m.id, m.msg) for m in check_settings()] == expected
