"""Shared fixtures: HTTP clients for both stacks and users of every kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import AsyncClient, Client


class GraphQLClient:
    """Posts GraphQL documents through a Django test client (WSGI or ASGI)."""

    def __init__(self, client: Client | AsyncClient, is_async: bool) -> None:
        self.client = client
        self.is_async = is_async

    async def post(self, query: str, variables: dict[str, Any] | None = None, **extra: Any):
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.raw("post", "/graphql", json.dumps(body), "application/json", **extra)

    async def get(self, path: str, **extra: Any):
        return await self.raw("get", path, **extra)

    async def raw(
        self,
        method: str,
        path: str,
        data: Any = None,
        content_type: str | None = None,
        **extra: Any,
    ):
        kwargs: dict[str, Any] = dict(extra)
        if content_type is not None:
            kwargs["content_type"] = content_type
        call = getattr(self.client, method)
        args = (path,) if data is None else (path, data)
        if self.is_async:
            return await call(*args, **kwargs)
        from asgiref.sync import sync_to_async

        return await sync_to_async(call, thread_sensitive=True)(*args, **kwargs)

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        response = await self.post(query, variables, **extra)
        assert response.status_code == 200, response.content
        return json.loads(response.content)

    async def force_login(self, user) -> None:
        from asgiref.sync import sync_to_async

        if self.is_async:
            await self.client.aforce_login(user)
        else:
            await sync_to_async(self.client.force_login, thread_sensitive=True)(user)


@pytest.fixture(params=["wsgi", "asgi"])
def gql(request) -> GraphQLClient:
    """A GraphQL client over the WSGI stack and over the ASGI stack."""
    if request.param == "asgi":
        return GraphQLClient(AsyncClient(), is_async=True)
    return GraphQLClient(Client(), is_async=False)


def errors_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body.get("errors") or []


def codes_of(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in errors_of(body)]


def on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL (``--ds tests.postgres_settings``) without a server: skip every test,
    except under CI=true (where ``_postgres`` fails them)."""
    import os

    from tests.support.postgres import unavailable

    if not on_postgresql() or os.environ.get("CI") == "true":
        return
    reason = unavailable()
    if reason is not None:
        skip = pytest.mark.skip(reason=f"PostgreSQL settings: {reason}")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _postgres(request):
    """On PostgreSQL: fail without a server (CI=true; elsewhere the tests skip), and end the
    sessions worker threads left open before the test database is dropped (DROP DATABASE
    refuses while another session uses it)."""
    from tests.support.postgres import unavailable

    if not on_postgresql():
        yield
        return
    reason = unavailable()
    if reason is not None:
        pytest.fail(f"CI=true but {reason}")
    request.getfixturevalue("django_db_setup")  # so this ends before the database is dropped
    yield
    from django.db import connection

    with request.getfixturevalue("django_db_blocker").unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_available() -> bool:
    import socket

    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def require_redis() -> None:
    """Skip without a Redis server, except under CI=true where Redis tests must run."""
    import os

    if redis_available():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Redis answers on 127.0.0.1:6379 (.ci/setup starts one)")
    pytest.skip("no Redis server on 127.0.0.1:6379 (bash .ci/setup starts one)")


@pytest.fixture
def redis_server() -> str:
    """The URL of the real Redis server (skips as described in require_redis)."""
    require_redis()
    return f"redis://{REDIS_HOST}:{REDIS_PORT}"
