"""Fixtures of the observability tests: an empty cache and the contexts' counter of calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches

from mizan_gql.observability import COUNTERS
from tests.contexts_app import mizan_clients


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    caches["default"].clear()
    COUNTERS.flush()  # counts of earlier tests of this process go to the cleared cache...
    caches["default"].clear()  # ...and away
    mizan_clients.CALLS.clear()
    mizan_clients.NAMES.clear()
    yield
    caches["default"].clear()


PROFILE = "query Profile($id: Int!) { ctxProfile(userId: $id) { displayName } }"
RENAME = (
    "mutation Rename($id: Int!, $name: String!) "
    "{ ctxRename(userId: $id, displayName: $name) { displayName } }"
)


def graphql(client, query: str, **variables) -> dict:
    response = client.post(
        "/graphql", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]
