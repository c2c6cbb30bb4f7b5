"""Soak test: ``uv run python -m bench.soak [--duration 60] [--http 100] [--ws 200] [--redis]``.

Starts the soak project (``bench/soak_settings.py``) under daphne on a random loopback port
(with ``--redis``: channels_redis on a redis-server of its own, on a spare port), then, from
this process, runs for ``--duration`` seconds:

- ``--http`` keep-alive HTTP clients alternating a POST query (``soakEcho``, the answer must
  echo the text sent) and a public context GET (``/graphql/ctx/soak_ctx/?key=k``);
- ``--ws`` WebSocket clients (graphql-transport-ws), each subscribed to one of ``--rooms``
  rooms of ``SoakChannel``;
- one publisher numbering messages per room through a mutation (``soakPublish``).

It then checks: zero HTTP errors or wrong answers, zero WebSocket errors or early closes,
and no data loss: every subscriber received every message of its room, once, in order.
It prints a summary (requests per second, latency percentiles, messages delivered, the
server's memory before and after) and exits non-zero on any error or loss. Every wait is
bounded; the server and Redis are stopped on the way out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from tests.support.servers import asgi_server, own_redis_server

ROOT = Path(__file__).resolve().parent.parent
ECHO = "query SoakEcho($text: String!) { soakEcho(text: $text) }"
PUBLISH = "mutation Publish($room: String!, $seq: Int!) { soakPublish(room: $room, seq: $seq) }"
SUBSCRIBE = "subscription Soak($room: String!) { soakChannel(room: $room) { room seq } }"


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    published: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    missing: int = 0

    def error(self, message: str) -> None:
        if len(self.errors) < 1000:  # bounded, even when everything fails
            self.errors.append(message)
        else:
            self.errors[-1] = f"... and more: {message}"


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class HttpConnection:
    """A minimal HTTP/1.1 keep-alive client (the standard library has no async one)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            content = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                content += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, content

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def http_client(port: int, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    connection = HttpConnection(port)
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                if rng.random() < 0.5:
                    text = f"t{rng.randrange(10**9)}"
                    body = json.dumps({"query": ECHO, "variables": {"text": text}}).encode()
                    status, _, content = await connection.request("POST", "/graphql", body)
                    expected: Any = {"data": {"soakEcho": text}}
                else:
                    key = rng.randrange(50)
                    path = f"/graphql/ctx/soak_ctx/?key={key}"
                    status, _, content = await connection.request("GET", path)
                    expected = {"data": {"soakValue": key * 2}}
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
                stats.error(f"HTTP: {type(exc).__name__}: {exc}")
                await connection.close()
                continue
            stats.latencies.append(time.monotonic() - started)
            if status != 200 or json.loads(content) != expected:
                stats.error(f"HTTP {status}: {content[:200]!r}, expected {expected}")
    finally:
        await connection.close()


async def ws_client(
    url: str, origin: str, room: str, ready: asyncio.Event, done: asyncio.Event, stats: Stats
) -> list[int]:
    received: list[int] = []
    async with websockets.connect(
        url,
        subprotocols=["graphql-transport-ws"],
        origin=origin,
        open_timeout=30,  # type: ignore[list-item, arg-type]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if ack.get("type") != "connection_ack":
            stats.error(f"WS: no ack: {ack}")
            return received
        payload = {"query": SUBSCRIBE, "variables": {"room": room}}
        await ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": payload}))
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                if done.is_set():
                    return received
                continue
            message = json.loads(raw)
            if message.get("type") != "next" or "errors" in message.get("payload", {}):
                stats.error(f"WS: {message}")
                continue
            seq = message["payload"]["data"]["soakChannel"]["seq"]
            if seq < 0:
                ready.set()  # a warm-up message: this subscription listens
            else:
                received.append(seq)


async def publisher(port: int, room: str, deadline: float, rate: float, stats: Stats) -> None:
    """Number the messages of ``room`` from 0, at most ``rate`` per second."""
    connection = HttpConnection(port)
    seq = 0
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            if await publish(connection, room, seq, stats):
                seq += 1
            await asyncio.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    finally:
        stats.published[room] = seq
        await connection.close()


async def publish(connection: HttpConnection, room: str, seq: int, stats: Stats) -> bool:
    body = json.dumps({"query": PUBLISH, "variables": {"room": room, "seq": seq}}).encode()
    try:
        status, _, content = await connection.request("POST", "/graphql", body)
    except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
        stats.error(f"publish: {type(exc).__name__}: {exc}")
        await connection.close()
        return False
    if status != 200 or json.loads(content) != {"data": {"soakPublish": True}}:
        stats.error(f"publish {status}: {content[:200]!r}")
        return False
    return True


async def soak(port: int, args: argparse.Namespace, server_pid: int) -> dict[str, Any]:
    stats = Stats()
    rooms = [f"room{i}" for i in range(args.rooms)]
    url, origin = f"ws://127.0.0.1:{port}/graphql", f"http://127.0.0.1:{port}"
    done = asyncio.Event()
    readies = [asyncio.Event() for _ in range(args.ws)]
    subscribers = [
        asyncio.create_task(ws_client(url, origin, rooms[i % len(rooms)], readies[i], done, stats))
        for i in range(args.ws)
    ]
    # Warm up: publish seq -1 until every subscriber has seen one (so it listens).
    warm = HttpConnection(port)
    warm_deadline = time.monotonic() + 60
    while not all(r.is_set() for r in readies) and time.monotonic() < warm_deadline:
        for room in rooms:
            await publish(warm, room, -1, stats)
        await asyncio.sleep(0.2)
        failed = [t for t in subscribers if t.done() and t.exception()]
        if failed:
            raise RuntimeError(f"a WebSocket client failed: {failed[0].exception()!r}")
    await warm.close()
    not_ready = sum(not r.is_set() for r in readies)
    if not_ready:
        stats.error(f"{not_ready} subscribers never started listening")
    await asyncio.sleep(0.5)  # the last warm-up messages drain
    rss_before = rss_kib(server_pid)

    started = time.monotonic()
    deadline = started + args.duration
    workers = [
        asyncio.create_task(http_client(port, deadline, stats, seed)) for seed in range(args.http)
    ]
    workers.extend(
        asyncio.create_task(publisher(port, room, deadline, args.rate, stats)) for room in rooms
    )
    await asyncio.gather(*workers)
    elapsed = time.monotonic() - started
    await asyncio.sleep(args.settle)  # deliveries in flight arrive
    done.set()
    results = await asyncio.gather(*subscribers, return_exceptions=True)
    rss_after = rss_kib(server_pid)

    for index, result in enumerate(results):
        room = rooms[index % len(rooms)]
        if isinstance(result, BaseException):
            stats.error(f"WS client {index}: {type(result).__name__}: {result}")
            stats.missing += stats.published.get(room, 0)
            continue
        stats.delivered += len(result)
        expected = list(range(stats.published.get(room, 0)))
        if result != expected:
            lost = len(set(expected) - set(result))
            stats.missing += lost
            stats.error(
                f"WS client {index} ({room}): {len(result)} messages, {lost} lost, "
                f"{'in' if result == sorted(result) else 'OUT OF'} order"
            )
    latencies = sorted(stats.latencies) or [0.0]
    return {
        "duration_s": round(elapsed, 1),
        "http_clients": args.http,
        "ws_clients": args.ws,
        "layer": "channels_redis" if args.redis else "in-memory",
        "http_requests": len(stats.latencies),
        "http_rps": round(len(stats.latencies) / elapsed, 1),
        "http_p50_ms": round(1000 * statistics.median(latencies), 1),
        "http_p99_ms": round(1000 * latencies[int(len(latencies) * 0.99) - 1], 1),
        "published": sum(stats.published.values()),
        "delivered": stats.delivered,
        "expected_deliveries": sum(
            stats.published.get(rooms[i % len(rooms)], 0) for i in range(args.ws)
        ),
        "lost": stats.missing,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "server_rss_mib_before": round(rss_before / 1024, 1),
        "server_rss_mib_after": round(rss_after / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--http", type=int, default=100, help="HTTP clients (100)")
    parser.add_argument("--ws", type=int, default=200, help="WebSocket clients (200)")
    parser.add_argument("--rooms", type=int, default=10, help="channel rooms (10)")
    parser.add_argument("--rate", type=float, default=10, help="messages per room per s (10)")
    parser.add_argument("--settle", type=float, default=3, help="seconds for deliveries (3)")
    parser.add_argument("--redis", action="store_true", help="channels_redis on own Redis")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.duration > 600:
        parser.error("--duration is capped at 600 seconds")

    if args.redis and shutil.which("redis-server") is None:
        raise SystemExit("--redis needs redis-server (apt-get install redis-server)")
    env = {"PYTHONPATH": str(ROOT)}
    handle, name = tempfile.mkstemp(prefix="mizan-soak-", suffix=".log")
    os.close(handle)
    log_path = Path(name)
    with ExitStack() as stack:
        if args.redis:
            redis = stack.enter_context(own_redis_server())
            env["SOAK_REDIS_URL"] = redis.url
        server = stack.enter_context(
            asgi_server(
                "bench.soak_asgi:application", "bench.soak_settings", env, log_path, timeout=120
            )
        )
        timeout = args.duration + args.settle + 120
        summary = asyncio.run(asyncio.wait_for(soak(server.port, args, server.pid), timeout))
    server_log = log_path.read_text(errors="replace")
    log_path.unlink()
    tracebacks = server_log.count("Traceback")
    summary["server_tracebacks"] = tracebacks
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for key, value in summary.items():
            print(f"{key:>24}: {value}")
    if tracebacks:
        print(server_log[-3000:], file=sys.stderr)
    ok = summary["errors"] == 0 and summary["lost"] == 0 and not tracebacks
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
