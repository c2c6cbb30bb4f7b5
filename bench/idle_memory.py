"""Memory per idle subscription: ``uv run python -m bench.idle_memory [--server ...]``.

The fan-out benchmark's server (bench/fanout_asgi.py) in a fresh process per case: its
resident set size (``VmRSS``) before N WebSocket subscribers connect, and once all N are
subscribed (each has received a probe broadcast) and idle. The difference over N is the
memory one idle subscription costs, for a mizan ``ReactChannel`` subscription and for the
plain Channels consumer (a group member sending what it receives).

Every wait is bounded; servers run on random loopback ports and are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from pathlib import Path

from bench.fanout import Crowd, Server

SETTLE = 2.0  # seconds without traffic before RSS is read again


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def settled_rss(pid: int) -> int:
    """RSS once it stopped moving (at most 10 s)."""
    deadline = time.monotonic() + 10
    last = rss_bytes(pid)
    while time.monotonic() < deadline:
        await asyncio.sleep(SETTLE)
        now = rss_bytes(pid)
        if now == last:
            break
        last = now
    return last


async def measure(layer: str, server_name: str, kind: str, n: int) -> tuple[int, int]:
    server = Server(layer, server_name)
    try:
        # Warm the server first (one subscriber, imports and schema built), then read.
        warm = Crowd(server, kind)
        await warm.connect(1)
        await warm.close()
        gc.collect()
        before = await settled_rss(server.process.pid)
        crowd = Crowd(server, kind)
        await crowd.connect(n)
        try:
            after = await settled_rss(server.process.pid)
        finally:
            await crowd.close()
        return before, after
    finally:
        server.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--servers", nargs="+", default=["uvicorn", "daphne"])
    parser.add_argument("--layer", default="redis", choices=["memory", "redis"])
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    print(f"{args.n} idle subscribers, {args.layer} layer, one server process per case\n")
    print("| server | consumer | RSS before | RSS with N idle | per subscription | vs plain |")
    print("|---|---|---|---|---|---|")
    for server_name in args.servers:
        per: dict[str, float] = {}
        for kind in ("plain", "mizan"):
            before, after = await measure(args.layer, server_name, kind, args.n)
            per[kind] = (after - before) / args.n
            versus = f"{per[kind] / per['plain']:.2f}x" if kind == "mizan" else "1.00x"
            print(
                f"| {server_name} | {kind} | {before / 2**20:.1f} MiB | {after / 2**20:.1f} MiB "
                f"| {per[kind] / 1024:.1f} KiB | {versus} |",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
