"""Fixtures of the persisted-query tests: clean caches and counters, GraphQL work counters."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import caches

from mizan_gql.schema.engine.private import GRAPHQL_CORE_32
from tests.persisted_app import mizan_clients

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def clean_state():
    """Every test starts with an empty cache and zeroed function counters."""
    caches["default"].clear()
    mizan_clients.CALLS.clear()
    mizan_clients.NAMES.clear()
    yield
    caches["default"].clear()


@pytest.fixture
def calls() -> Counter[str]:
    return mizan_clients.CALLS


@pytest.fixture
def graphql_work(monkeypatch) -> Counter[str]:
    """Counts graphql-core parse / validate / execute calls made through Strawberry;
    ``execute`` counts compiled executions too (mizan_gql.schema.engine.compiled)."""
    import strawberry.schema.schema as strawberry_schema

    counter: Counter[str] = Counter()
    for name in ("parse", "validate", "execute"):
        original = getattr(strawberry_schema, name)

        def counting(*args: Any, _original=original, _name=name, **kwargs: Any) -> Any:
            counter[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(strawberry_schema, name, counting)
    if not GRAPHQL_CORE_32:  # compiled queries exist on graphql-core 3.3 only
        from mizan_gql.schema.engine.compiled import CompiledOperation

        compiled = CompiledOperation.execute

        async def counting_compiled(self: Any, *args: Any, **kwargs: Any) -> Any:
            counter["execute"] += 1
            return await compiled(self, *args, **kwargs)

        monkeypatch.setattr(CompiledOperation, "execute", counting_compiled)
    return counter


def unique_echo() -> str:
    """A document nobody sent before (the comment changes its hash, not its meaning)."""
    return f"# {uuid.uuid4().hex}\nquery Echo($text: String!) {{ echo(text: $text) {{ message }} }}"


def persisted(sha256: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256}}


async def apq_post(gql, body: dict[str, Any], **extra: Any):
    return await gql.raw("post", "/graphql", json.dumps(body), "application/json", **extra)


async def apq_get(gql, sha256: str, variables: dict[str, Any] | None = None, **extra: Any):
    params = {"extensions": json.dumps(persisted(sha256))}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await gql.get(f"/graphql?{urlencode(params)}", **extra)


def body_of(response) -> dict[str, Any]:
    return json.loads(response.content)


def codes(response) -> list[str]:
    return [e["extensions"]["code"] for e in body_of(response).get("errors", [])]


@pytest.fixture
def passed(settings):
    """ContextCacheMiddleware after SecurityMiddleware, then a middleware counting, by path,
    the requests that went on down the stack."""
    from tests.persisted_app.middleware import PASSED

    settings.MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "mizan_gql.http.ContextCacheMiddleware",
        "tests.persisted_app.middleware.counting",
        *settings.MIDDLEWARE,
    ]
    PASSED.clear()
    yield PASSED
    PASSED.clear()
