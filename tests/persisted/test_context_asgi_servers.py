"""The ASGI layer against Django's handler on real servers: the same HTTP answers.

Two server processes of the test project share one Redis cache: one serves ``wrap_asgi``
(public context hits answered at the ASGI layer), the other Django's handler alone. Each
request goes to both; status, every header but ``Date`` and ``Server`` (names, values,
order) and body must be equal, over the hit, 304, miss and invalidated cases.
"""

from __future__ import annotations

import http.client
import uuid
from collections.abc import Iterator

import pytest
import redis

from mizan_gql.contexts import invalidate
from tests.support.servers import ServerProcess, asgi_server

USER = "/graphql/ctx/pq_user/?user_id=5"
SERVER_HEADERS = ("date", "server")


@pytest.fixture(scope="module", params=["uvicorn", "daphne"])
def servers(request, tmp_path_factory) -> Iterator[tuple[ServerProcess, ServerProcess, str]]:
    prefix = f"mizan-asgi-{uuid.uuid4().hex[:8]}"
    env = {"MIZAN_TEST_CACHE_PREFIX": prefix}
    logs = tmp_path_factory.mktemp("servers")
    settings = "tests.persisted.server_settings"
    with (
        asgi_server(
            "tests.channels_app.asgi:application",
            settings,
            env=env,
            log=logs / "layered.log",
            server=request.param,
        ) as layered,
        asgi_server(
            "tests.asgi:application",
            settings,
            env=env,
            log=logs / "django.log",
            server=request.param,
        ) as django_only,
    ):
        yield layered, django_only, prefix
    client = redis.Redis(host="127.0.0.1", port=6379)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def shared_cache(servers, settings):
    """This process on the servers' cache, so that ``invalidate`` reaches them."""
    *_, prefix = servers
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    invalidate("pq_user", user_id=5)


def get(server: ServerProcess, path: str, headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in SERVER_HEADERS]
        return response.status, kept, response.read()
    finally:
        connection.close()


def same(servers, path: str, headers: dict[str, str] | None = None):
    layered, django_only, _ = servers
    expected = get(django_only, path, headers)
    got = get(layered, path, headers)
    assert got == expected
    return got


def test_both_servers_answer_alike(servers, shared_cache):
    layered, django_only, _ = servers
    miss = get(django_only, USER)  # computed and stored in the shared cache
    invalidate("pq_user", user_id=5)
    assert get(layered, USER) == miss  # a miss on the layered server: the view again
    for _ in range(3):  # the first hit teaches the layer the stack's layout
        status, headers, body = same(servers, USER)
    assert status == 200 and body == miss[2]
    etag = {k.lower(): v for k, v in headers}["etag"]
    for _ in range(3):
        status, headers, body = same(servers, USER, {"If-None-Match": etag})
    assert status == 304 and body == b""

    invalidate("pq_user", user_id=5)
    fresh = get(django_only, USER)
    invalidate("pq_user", user_id=5)
    assert get(layered, USER) == fresh
    for _ in range(2):
        assert same(servers, USER)[2] == fresh[2]
