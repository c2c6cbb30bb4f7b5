"""Fixtures of the hostile-input suite: a Redis server of the test's own, users, sockets."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.channels.conftest import session_cookie, sockets  # noqa: F401  (fixtures)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnRedis:
    """A redis-server on a spare loopback port that the test stops, pauses and restarts.

    The shared server on 6379 is never touched.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a paused server cannot exit
            process.terminate()
            process.wait(10)

    def pause(self) -> None:
        """Stop answering (SIGSTOP) while keeping connections open: a hung server."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    try:
        yield server
    finally:
        server.stop()


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
