"""The demo, started with the README's command (`manage.py rundemo`) on a free loopback port.

One server per test session (per xdist worker), on its own temporary SQLite database, so the
HTTP, WebSocket and browser tests share the (slow-ish) start-up: migrate, seed, build, serve.
Under the PostgreSQL settings (tests/postgres_settings.py) the database is a PostgreSQL one
of its own instead, created for the session and dropped after it.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.support import postgres
from tests.support.postgres import created_database
from tests.support.servers import free_port, launch, running, server_env

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "demo" / "frontend"
BUNDLE = ROOT / "demo" / "core" / "static" / "core" / "app" / "main.js"
START_TIMEOUT = 180  # a first run installs the front end's npm packages


def require(missing: list[str], fix: str) -> None:
    """Skip when something outside Python is missing, except under CI=true: there it fails."""
    if not missing:
        return
    reason = f"{'; '.join(missing)} ({fix})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def node_missing() -> list[str]:
    return [f"{tool} is not installed" for tool in ("node", "npm") if shutil.which(tool) is None]


@dataclass
class DemoServer:
    url: str
    port: int
    log: Path
    built: bool
    database: dict[str, str]  # MIZAN_DEMO_DB (SQLite) or MIZAN_DEMO_PGDATABASE

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def demo_database(directory: Path) -> Iterator[dict[str, str]]:
    """The environment that gives the demo a database of its own: SQLite, or PostgreSQL when
    the tests run on it."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        yield {"MIZAN_DEMO_DB": str(directory / "demo.sqlite3")}
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with created_database(postgres.database_name(f"demo_{worker}")) as name:
        yield {"MIZAN_DEMO_PGDATABASE": name}


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[DemoServer]:
    """`uv run python demo/manage.py rundemo 127.0.0.1:<port>` (the README command)."""
    directory = tmp_path_factory.mktemp("demo")
    with demo_database(directory) as database:
        yield from _serve_demo(directory, database)


def _serve_demo(directory: Path, database: dict[str, str]) -> Iterator[DemoServer]:
    port = free_port()
    other = {"MIZAN_DEMO_DB", "MIZAN_DEMO_PGDATABASE"} - set(database)
    env = server_env(env=database, unset=("DJANGO_SETTINGS_MODULE", "MIZAN_DEMO_BACKEND", *other))
    command = [sys.executable, "demo/manage.py", "rundemo", f"127.0.0.1:{port}"]
    # Without Node.js (locally) the API still runs; the tests that need pages skip.
    built = not node_missing() or os.environ.get("CI") == "true"
    if not built:
        command.append("--no-build")
    log = directory / "rundemo.log"
    process = launch(command, port, log, env, "rundemo", new_session=True)
    with running(process, START_TIMEOUT, interval=0.1):
        yield DemoServer(process.url, port, log, built, database)


@pytest.fixture
def built_demo(demo_server: DemoServer) -> DemoServer:
    """The demo with its front end built (needs Node.js and npm)."""
    require(node_missing(), "install Node.js 18+ and npm: bash .ci/setup does")
    assert demo_server.built and BUNDLE.is_file(), demo_server.output()
    return demo_server
