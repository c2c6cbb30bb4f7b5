"""Fixtures of the hostile-input suite: a Redis server of the test's own, users, sockets."""

from __future__ import annotations

import pytest

from tests.channels.conftest import session_cookie, sockets  # noqa: F401  (fixtures)
from tests.support.fixtures import own_redis  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _schema_built():
    """Build the schema before the test: a WebSocket handshake that has to build it first
    may outlast the test communicator's one-second connect timeout on a loaded machine."""
    from mizan_gql.schema.builder import get_schema

    get_schema()


@pytest.fixture
def users(db):
    from django.contrib.auth.models import User

    return {
        "alice": User.objects.create_user("alice", password="pw"),
        "bob": User.objects.create_user("bob", password="pw"),
    }
