"""End to end: real daphne processes sharing channels_redis on the real Redis server.

A client subscribed on process A receives broadcasts made on process B (inside a server
function), from a separate ``django-admin shell`` process, and a crowd of clients leaving
at once leaves neither errors nor group memberships behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from tests.channels_app.mizan_clients import NewsChannel
from tests.support.servers import ServerProcess, start_asgi_server

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.channels_app.redis_settings"
NEWS = "subscription { newsChannel { headline } }"


@pytest.fixture
def redis_env(redis_server) -> Iterator[dict[str, str]]:
    """Environment for the processes: this test's own Redis key prefix (removed after)."""
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    prefix = f"mizan-test-{worker}-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "MIZAN_TEST_REDIS_URL": f"{redis_server}/0",
        "MIZAN_TEST_REDIS_PREFIX": prefix,
        "PYTHONPATH": str(ROOT),
    }
    yield env
    client = redis.Redis.from_url(f"{redis_server}/0")
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def ws_url(server: ServerProcess) -> str:
    return f"ws://127.0.0.1:{server.port}/graphql"


@pytest.fixture
def servers(redis_env, tmp_path) -> Iterator[list[ServerProcess]]:
    """Two daphne processes (started together, then awaited) sharing the Redis layer."""
    started: list[ServerProcess] = []
    try:
        for name in ("a", "b"):
            log = tmp_path / f"daphne-{name}.log"
            started.append(
                start_asgi_server("tests.channels_app.asgi:application", log, env=redis_env)
            )
        for server in started:
            # Generous: on a loaded CI machine importing Django and the project takes a while.
            server.wait_ready(timeout=120, interval=0.1)
        yield started
    finally:
        for server in started:
            server.stop()


async def subscriber(url: str, op_id: str = "1"):
    ws = await websockets.connect(
        url, subprotocols=["graphql-transport-ws"], origin="http://localhost:3000"
    )
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    await ws.send(json.dumps({"type": "subscribe", "id": op_id, "payload": {"query": NEWS}}))
    return ws


async def headline(ws) -> str:
    message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "next", message
    return str(message["payload"]["data"]["newsChannel"]["headline"])


def publish_on(server: ServerProcess, headline: str) -> dict:
    body = json.dumps({"query": f'mutation {{ wsPublishNews(headline: "{headline}") }}'})
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/graphql",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


async def until_subscribed(ws, server: ServerProcess) -> None:
    """Probe from ``server`` until ``ws`` sees it: its group membership is in place."""
    for attempt in range(50):
        await asyncio.to_thread(publish_on, server, f"probe-{attempt}")
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), 0.3))
        except TimeoutError:
            continue
        assert message["payload"]["data"]["newsChannel"]["headline"].startswith("probe-")
        break
    else:
        raise AssertionError("the subscription never received a probe")
    while True:  # drain the probes still in flight
        try:
            await asyncio.wait_for(ws.recv(), 0.5)
        except TimeoutError:
            return


def shell_broadcast(env: dict[str, str], text: str) -> None:
    code = (
        "from tests.channels_app.mizan_clients import NewsChannel; "
        f"NewsChannel.broadcast('news', {{'headline': {text!r}}})"
    )
    subprocess.run(
        [sys.executable, "-m", "django", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


async def until_all_subscribed(crowd: list, server: ServerProcess) -> None:
    """Probe from ``server`` until every socket of ``crowd`` has seen a probe."""
    waiting = list(crowd)
    for attempt in range(50):
        await asyncio.to_thread(publish_on, server, f"probe-{attempt}")
        seen = await asyncio.gather(*(received_within(ws, 0.5) for ws in waiting))
        waiting = [ws for ws, message in zip(waiting, seen, strict=True) if message is None]
        if not waiting:
            return
    raise AssertionError(f"{len(waiting)} subscriptions never received a probe")


async def received_within(ws, timeout: float) -> dict | None:
    try:
        return json.loads(await asyncio.wait_for(ws.recv(), timeout))
    except TimeoutError:
        return None


async def headline_after_probes(ws) -> str:
    """The next headline that is not a probe (probes still in flight come first)."""
    while (text := await headline(ws)).startswith("probe-"):
        pass
    return text


async def test_broadcasts_reach_subscribers_of_another_process(servers, redis_env):
    a, b = servers
    ws = await subscriber(ws_url(a))
    try:
        await until_subscribed(ws, b)
        assert await asyncio.to_thread(publish_on, b, "from b") == {"data": {"wsPublishNews": True}}
        assert await headline(ws) == "from b"

        await asyncio.to_thread(shell_broadcast, redis_env, "from a shell")
        assert await headline(ws) == "from a shell"
    finally:
        await ws.close()


async def test_a_crowd_leaving_at_once_leaves_no_errors_and_no_memberships(servers, redis_env):
    import redis

    a, b = servers
    first = await subscriber(ws_url(a))
    await until_subscribed(first, b)
    crowd = [first] + list(await asyncio.gather(*(subscriber(ws_url(a)) for _ in range(199))))
    await until_all_subscribed(crowd, b)
    await asyncio.to_thread(publish_on, b, "everyone")
    assert await asyncio.gather(*(headline_after_probes(ws) for ws in crowd)) == ["everyone"] * 200

    await asyncio.gather(*(ws.close() for ws in crowd))
    client = redis.Redis.from_url(redis_env["MIZAN_TEST_REDIS_URL"])
    key = f"{redis_env['MIZAN_TEST_REDIS_PREFIX']}:group:{NewsChannel.layer_group('news')}"
    deadline = time.monotonic() + 10
    while client.zcard(key) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert client.zcard(key) == 0
    client.close()
    for server in servers:  # all they will ever log is written once they stopped
        server.stop()
    log = (a.output() + b.output()).lower()
    assert "traceback" not in log and "error" not in log, log
