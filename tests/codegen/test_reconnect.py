"""The generated client reconnects after the server lost its channel layer (close 4503).

A daphne process serves the codegen test project on a Redis layer of this test's own;
tests/ts/runtime/reconnect.ts subscribes with the generated client and says when its
subscription receives ("MIZAN-READY": Redis is stopped, the server closes the socket with
4503) and when it saw that close ("MIZAN-CLOSED": Redis is started again); it then waits
until its subscription, resumed on a new socket, receives a broadcast.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading

from tests.support.servers import asgi_server, server_env

from .conftest import TS_DIR, require_node, run_export

LINE_TIMEOUT = 120


def test_the_client_reconnects_after_the_layer_is_lost(own_redis, workdir, tmp_path):
    require_node()
    exported = run_export(workdir / "generated" / "app")
    assert exported.returncode == 0, exported.stderr
    shutil.copytree(TS_DIR / "runtime", workdir / "runtime")
    env = {"MIZAN_TEST_REDIS_URL": own_redis.url}
    app = "tests.codegen_app.asgi:application"
    settings = "tests.codegen_app.redis_settings"
    with asgi_server(app, settings, env=env, log=tmp_path / "daphne.log") as server:
        node = subprocess.Popen(
            ["node", "--experimental-websocket", "--no-warnings", "--import", "tsx"]
            + ["runtime/reconnect.ts"],
            cwd=workdir,
            env=server_env(env={"MIZAN_URL": server.url}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        output: list[str] = []

        def read() -> None:
            assert node.stdout is not None
            for line in node.stdout:
                output.append(line)
                lines.put(line.strip())
            lines.put(None)  # Node exited

        threading.Thread(target=read, daemon=True).start()
        try:
            wait_for(lines, "MIZAN-READY", output)
            own_redis.stop()
            wait_for(lines, "MIZAN-CLOSED", output)
            own_redis.start()
            assert node.wait(timeout=LINE_TIMEOUT) == 0, "".join(output)
        finally:
            if node.poll() is None:
                node.kill()
                node.wait()
    text = "".join(output)
    assert "# pass 1" in text and "# fail 0" in text, text


def wait_for(lines: queue.Queue[str | None], expected: str, output: list[str]) -> None:
    """Wait for the line ``expected`` from Node (failing if it exits or is silent first)."""
    while True:
        try:
            line = lines.get(timeout=LINE_TIMEOUT)
        except queue.Empty:
            raise AssertionError(
                f"no {expected!r} within {LINE_TIMEOUT} s:\n{''.join(output)}"
            ) from None
        if line is None:
            raise AssertionError(f"Node exited before {expected!r}:\n{''.join(output)}")
        if line == expected:
            return
