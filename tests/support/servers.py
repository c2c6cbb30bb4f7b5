"""Real servers for tests and benchmarks: free loopback ports, ASGI servers, private Redis.

One place for what starting a real server takes: a spare port on 127.0.0.1, a subprocess
whose output goes to a log file, a bounded wait until it listens (failing early, with the
log, when it exits) and a teardown that always ends it (terminate, wait, kill).

This module does not need pytest, so ``bench/`` uses it too; only :func:`require_executable`
imports pytest, when it is called.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Generous: on a loaded machine (pytest -n 2 next to other suites) daphne starts slowly.
ASGI_START_TIMEOUT = 90.0
REDIS_START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


class ServerError(RuntimeError):
    """A server exited before it listened, or did not listen in time (message has its log)."""


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _read(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_text(errors="replace")


def wait_for_port(
    port: int,
    process: subprocess.Popen[bytes],
    what: str,
    log: Path | None,
    timeout: float,
    interval: float = 0.05,
) -> None:
    """Return once something accepts connections on 127.0.0.1:``port``.

    Raises :class:`ServerError` (with the log's text) as soon as ``process`` exits, or when
    ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None:
                raise ServerError(
                    f"{what} exited with {process.returncode}:\n{_read(log)}"
                ) from None
            time.sleep(interval)
    raise ServerError(f"{what} did not listen on {HOST}:{port} within {timeout} s:\n{_read(log)}")


def stop_process(
    process: subprocess.Popen[bytes] | None, group: bool = False, timeout: float = STOP_TIMEOUT
) -> None:
    """End ``process`` (its whole process group with ``group``): SIGTERM, wait, then SIGKILL.

    A stopped (SIGSTOP) process is continued first, since it could not act on SIGTERM.
    """
    if process is None or process.poll() is not None:
        return

    def send(sig: signal.Signals) -> None:
        try:
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        except ProcessLookupError:
            pass

    send(signal.SIGCONT)
    send(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout=timeout)


def server_env(
    settings: str | None = None,
    env: Mapping[str, str] | None = None,
    unset: Iterable[str] = (),
) -> dict[str, str]:
    """``os.environ`` plus ``env``, without ``unset``, with ``DJANGO_SETTINGS_MODULE``
    set to ``settings`` when given and unbuffered Python output (for complete logs)."""
    result = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if settings is not None:
        result["DJANGO_SETTINGS_MODULE"] = settings
    result.update(env or {})
    for name in unset:
        result.pop(name, None)
    return result


@dataclass
class ServerProcess:
    """A started server subprocess listening (once ready) on 127.0.0.1:``port``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    what: str
    group: bool = False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        """What the server wrote so far (stdout and stderr)."""
        return _read(self.log)

    def wait_ready(self, timeout: float = ASGI_START_TIMEOUT, interval: float = 0.05) -> None:
        wait_for_port(self.port, self.process, self.what, self.log, timeout, interval)

    def stop(self) -> None:
        stop_process(self.process, group=self.group)


def launch(
    command: Sequence[str],
    port: int,
    log: Path,
    env: Mapping[str, str],
    what: str,
    cwd: Path = ROOT,
    new_session: bool = False,
) -> ServerProcess:
    """Start ``command`` (output to ``log``); it does not wait: see ``wait_ready``."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )
    return ServerProcess(process, port, log, what, group=new_session)


def daphne_command(app: str, port: int) -> list[str]:
    """``python -m daphne`` serving the ASGI ``app`` ("module:attribute") on 127.0.0.1."""
    return [sys.executable, "-m", "daphne", "-b", HOST, "-p", str(port), app]


# The ASGI servers mizan_gql supports, each as the command serving an app on a port.
ASGI_SERVERS = ("daphne", "uvicorn", "hypercorn")
# What bench.run measures: the servers production deployments run, one process each.
BENCH_SERVERS = ("uvicorn", "daphne", "gunicorn-uvicorn")


def server_command(server: str, app: str, port: int) -> list[str]:
    """The command of ``server`` (one of :data:`ASGI_SERVERS`, or ``gunicorn-uvicorn``:
    gunicorn with one uvicorn worker) serving ``app`` on 127.0.0.1, with its defaults
    (uvicorn and hypercorn send lifespan events, daphne does not)."""
    if server == "daphne":
        return daphne_command(app, port)
    if server == "uvicorn":
        return [sys.executable, "-m", "uvicorn", "--host", HOST, "--port", str(port), app]
    if server == "hypercorn":
        return [sys.executable, "-m", "hypercorn", "--bind", f"{HOST}:{port}", app]
    if server == "gunicorn-uvicorn":
        return [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}"] + [
            "--workers",
            "1",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            app,
        ]
    raise ValueError(f"unknown ASGI server {server!r}; one of {ASGI_SERVERS + BENCH_SERVERS}")


def start_asgi_server(
    app: str,
    log: Path,
    settings: str | None = None,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    cwd: Path = ROOT,
    new_session: bool = False,
    server: str = "daphne",
) -> ServerProcess:
    """Start ``server`` (daphne by default) serving ``app`` with ``settings``; call
    ``wait_ready`` then ``stop``."""
    port = free_port() if port is None else port
    return launch(
        server_command(server, app, port),
        port,
        log,
        server_env(settings, env),
        server,
        cwd=cwd,
        new_session=new_session,
    )


@contextmanager
def running(
    server: ServerProcess, timeout: float, interval: float = 0.05
) -> Iterator[ServerProcess]:
    """Wait until ``server`` listens, yield it, and stop it afterwards (also on errors)."""
    try:
        server.wait_ready(timeout, interval)
        yield server
    finally:
        server.stop()


@contextmanager
def _log_file(log: Path | None) -> Iterator[Path]:
    if log is not None:
        yield log
        return
    handle, name = tempfile.mkstemp(prefix="mizan-server-", suffix=".log")
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


@contextmanager
def asgi_server(
    app: str,
    settings: str | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    port: int | None = None,
    timeout: float = ASGI_START_TIMEOUT,
    cwd: Path = ROOT,
    new_session: bool = False,
    server: str = "daphne",
) -> Iterator[ServerProcess]:
    """``server`` (daphne by default) serving ``app`` with ``settings`` (and ``env``
    overrides) on a free port.

    Output goes to ``log`` (a temporary file, removed after, when not given). Raises
    :class:`ServerError` when it does not listen within ``timeout`` seconds; stops it on exit.
    """
    with _log_file(log) as path:
        process = start_asgi_server(app, path, settings, env, port, cwd, new_session, server)
        with running(process, timeout) as ready:
            yield ready


class OwnRedis:
    """A ``redis-server`` of the caller alone on a spare loopback port (no persistence).

    It can be stopped, restarted on the same port, and paused (SIGSTOP: a hung server);
    the shared server on 6379 is never touched.
    """

    def __init__(self, timeout: float = REDIS_START_TIMEOUT) -> None:
        self.port = free_port()
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", HOST]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port, self.process, "redis-server", None, self.timeout)
        except ServerError:
            self.stop()
            raise

    def stop(self) -> None:
        process, self.process = self.process, None
        stop_process(process)

    def pause(self) -> None:
        """Stop answering while keeping connections open."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def own_redis_server(timeout: float = REDIS_START_TIMEOUT) -> Iterator[OwnRedis]:
    """A private :class:`OwnRedis`, stopped on exit."""
    server = OwnRedis(timeout)
    try:
        yield server
    finally:
        server.stop()


def require_executable(name: str, fix: str = "") -> None:
    """Skip the test when ``name`` is not on PATH, except under CI=true: there it fails."""
    if shutil.which(name) is not None:
        return
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {name} is not installed")
    pytest.skip(f"{name} is not installed ({fix or 'bash .ci/setup installs it'})")
