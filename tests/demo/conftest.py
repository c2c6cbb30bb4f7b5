"""The demo, started with the README's command (`manage.py rundemo`) on a free loopback port.

One server per test session (per xdist worker), on its own temporary SQLite database, so the
HTTP, WebSocket and browser tests share the (slow-ish) start-up: migrate, seed, build, serve.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoServer:
    url: str
    port: int
    log: Path
    built: bool

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[DemoServer]:
    """`uv run python demo/manage.py rundemo 127.0.0.1:<port>` (the README command)."""
    directory = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {
        **os.environ,
        "MIZAN_DEMO_DB": str(directory / "demo.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("MIZAN_DEMO_BACKEND", None)
    command = [sys.executable, "demo/manage.py", "rundemo", f"127.0.0.1:{port}"]
    # Without Node.js (locally) the API still runs; the tests that need pages skip.
    built = not node_missing() or os.environ.get("CI") == "true"
    if not built:
        command.append("--no-build")
    log = directory / "rundemo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = DemoServer(f"http://127.0.0.1:{port}", port, log, built)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"rundemo exited with {process.returncode}:\n{server.output()}")
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the demo did not start within {START_TIMEOUT} s:\n{server.output()}"
                    )
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def built_demo(demo_server: DemoServer) -> DemoServer:
    """The demo with its front end built (needs Node.js and npm)."""
    require(node_missing(), "install Node.js 18+ and npm, then run the demo once")
    assert demo_server.built and BUNDLE.is_file(), demo_server.output()
    return demo_server
