"""Subscription fan-out: ``uv run python -m bench.fanout [--layers ...] [--sizes ...]``.

One server process (``--server``: daphne or uvicorn) serves a mizan ``ReactChannel``
subscription and, side by side, a plain Channels ``AsyncJsonWebsocketConsumer`` doing the
usual group fan-out. For each layer and
each number N of WebSocket subscribers (all connected from this process), it measures

- latency: one broadcast, time until all N subscribers received it (p50/p95 over repeats);
- burst: K broadcasts at once, deliveries per second until the last one arrived, and the
  server's CPU time per 1,000 deliveries (from /proc).

The ``sse`` kind subscribes to the same mizan channel over Server-Sent Events
(``/graphql/stream``, distinct connections: one streaming ``POST`` per subscriber) instead of
the WebSocket; the last line of each layer and N gives its deliveries/s over the WebSocket's.

Every wait is bounded; the server runs on a random loopback port and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import websockets

from tests.support import sse
from tests.support.servers import server_command

ROOT = Path(__file__).resolve().parent.parent
QUERY = "subscription { benchChannel { seq sent } }"
PROBE = 1_000_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, layer: str, server: str = "daphne") -> None:
        self.port = free_port()
        self.layer = layer
        self.prefix = f"mizan-bench-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "BENCH_LAYER": layer, "BENCH_PREFIX": self.prefix}
        env["DJANGO_SETTINGS_MODULE"] = "bench.fanout_settings"
        self.process = subprocess.Popen(
            server_command(server, "bench.fanout_asgi:application", self.port),
            cwd=ROOT,
            env=env,
            stdout=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the benchmark server did not start") from None
                time.sleep(0.1)

    def broadcast(self, kind: str, count: int, first: int) -> None:
        url = f"http://127.0.0.1:{self.port}/broadcast/{kind}/{count}/{first}"
        request = urllib.request.Request(url, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=120) as response:
            assert response.read() == b"ok"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.layer == "redis":  # remove only this run's keys
            import redis

            client = redis.Redis(host="127.0.0.1", port=6379)
            keys = list(client.scan_iter(match=f"{self.prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()


class Crowd:
    """N connected subscribers of one kind, recording when each message arrives."""

    def __init__(self, server: Server, kind: str) -> None:
        self.server, self.kind = server, kind
        self.sockets: list[Any] = []
        self.arrivals: dict[int, list[float]] = defaultdict(list)
        self.readers: list[asyncio.Task[None]] = []
        # The server-side kind of broadcast: SSE subscribers listen to the mizan channel.
        self.sender = "mizan" if kind == "sse" else kind

    async def connect(self, n: int) -> None:
        async def one() -> Any:
            if self.kind == "sse":
                stream = await sse.request(
                    self.server.port,
                    "POST",
                    "/graphql/stream",
                    {"Accept": "text/event-stream", "Origin": "http://localhost"},
                    {"query": QUERY},
                    timeout=60,
                )
                assert stream.status == 200, stream.status
                return stream
            if self.kind == "plain":
                url = f"ws://127.0.0.1:{self.server.port}/plain/"
                return await websockets.connect(url, origin="http://localhost", max_queue=None)
            ws = await websockets.connect(
                f"ws://127.0.0.1:{self.server.port}/graphql",
                subprotocols=["graphql-transport-ws"],
                origin="http://localhost",
                max_queue=None,
            )
            await ws.send(json.dumps({"type": "connection_init"}))
            await ws.recv()
            await ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": QUERY}}))
            return ws

        for start in range(0, n, 100):  # connect in batches: the accept backlog is finite
            self.sockets += await asyncio.gather(*(one() for _ in range(min(100, n - start))))
        self.readers = [asyncio.create_task(self._read(ws)) for ws in self.sockets]
        for attempt in range(100):  # until every subscription is in its group
            seq = PROBE + attempt
            await asyncio.to_thread(self.server.broadcast, self.sender, 1, seq)
            if await self.wait(seq, 1, timeout=1):
                return
        raise RuntimeError(f"{self.kind}: subscribers never all received a probe")

    async def _read(self, ws: Any) -> None:
        if self.kind == "sse":
            while (event := await ws.event(timeout=3600)) is not None:
                now = time.time()
                if event[0] == "next":
                    self.arrivals[event[1]["data"]["benchChannel"]["seq"]].append(now)
            return
        with_payload = self.kind == "mizan"
        async for raw in ws:
            now = time.time()
            message = json.loads(raw)
            if with_payload:
                if message.get("type") != "next":
                    continue
                message = message["payload"]["data"]["benchChannel"]
            self.arrivals[message["seq"]].append(now)

    async def wait(self, first: int, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        n = len(self.sockets)
        while time.monotonic() < deadline:
            if all(len(self.arrivals[s]) >= n for s in range(first, first + count)):
                return True
            await asyncio.sleep(0.002)
        return False

    def last_arrival(self, first: int, count: int) -> float:
        return max(max(self.arrivals[s]) for s in range(first, first + count))

    async def close(self) -> None:
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        self.sockets.clear()


async def measure(server: Server, kind: str, n: int, repeats: int, burst: int) -> dict:
    crowd = Crowd(server, kind)
    sender = crowd.sender
    await crowd.connect(n)
    try:
        latencies = []
        for r in range(repeats):
            seq = r * 10_000
            start = time.time()
            await asyncio.to_thread(server.broadcast, sender, 1, seq)
            assert await crowd.wait(seq, 1, timeout=120), f"{kind}: a latency round timed out"
            latencies.append(crowd.last_arrival(seq, 1) - start)
        first = 500_000
        cpu = cpu_seconds(server.process.pid)
        client_cpu = time.process_time()
        start = time.time()
        await asyncio.to_thread(server.broadcast, sender, burst, first)
        assert await crowd.wait(first, burst, timeout=300), f"{kind}: the burst timed out"
        elapsed = crowd.last_arrival(first, burst) - start
        cpu = cpu_seconds(server.process.pid) - cpu
        client_cpu = time.process_time() - client_cpu
        deliveries = burst * n
        return {
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)] * 1000,
            "per_second": deliveries / elapsed,
            "cpu_ms_per_1000": cpu * 1000 / deliveries * 1000,
            "client_busy": client_cpu / elapsed,
        }
    finally:
        await crowd.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", nargs="+", default=["memory", "redis"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--kinds", nargs="+", default=["plain", "mizan", "sse"])
    # One process that is the server (gunicorn's worker is not: /proc would read its master).
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    args = parser.parse_args()
    print(f"{args.server}, 1 process\n")
    print(
        "| layer | N | consumer | latency p50 | p95 | deliveries/s | server CPU / 1,000 "
        "| client busy |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for layer in args.layers:
        for n in args.sizes:
            rates = {}
            for kind in args.kinds:
                server = Server(layer, args.server)  # a fresh process per case: no leftovers
                try:
                    r = await measure(server, kind, n, args.repeats, args.burst)
                finally:
                    server.stop()
                print(
                    f"| {layer} | {n} | {kind} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms "
                    f"| {r['per_second']:,.0f} | {r['cpu_ms_per_1000']:.0f} ms "
                    f"| {r['client_busy']:.0%} |",
                    flush=True,
                )
                rates[kind] = r["per_second"]
            if "sse" in rates and "mizan" in rates:
                ratio = rates["sse"] / rates["mizan"]
                line = f"| {layer} | {n} | SSE / WebSocket deliveries/s | {ratio:.2f}× |"
                print(line, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
