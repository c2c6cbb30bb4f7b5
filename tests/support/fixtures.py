"""Fixtures several test packages share; a conftest imports the ones it uses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.servers import OwnRedis, own_redis_server, require_executable


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    """A redis-server of this test alone on a spare loopback port, which the test may stop,
    restart (same port) and pause. Skips without redis-server, except under CI=true."""
    require_executable("redis-server")
    with own_redis_server() as server:
        yield server
