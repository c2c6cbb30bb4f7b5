"""Instructions per request, by callgrind: context hits with and without
``mizan_gql.observability``, or (``--requests-of graphql``) the GraphQL cases of bench.run.

``uv run python -m bench.instructions`` (needs valgrind: ``apt-get install valgrind``).
``uv run python -m bench.instructions --requests-of graphql``: the plain view, the persisted
GET and the POST with the query text, each as a ratio to the plain view (bench.settings).

Requests per second on a shared machine move by more than the 3 % this compares (see the
control row of ``bench.run``); instruction counts do not. For each settings module
(``bench.settings``: observability off; ``bench.metrics_settings``: the app with its live
counters, OpenTelemetry's SDK and prometheus_client) this runs a child process under
``valgrind --tool=callgrind`` twice: Django set up in process, the ASGI application
(``get_asgi_application()``, the whole middleware stack) called directly with
``GET /graphql/ctx/bench_user/?user_id=1``, warmed up, then ``N`` and ``2N`` requests.
The difference of the two totals over ``N`` is the instructions of one context hit, with
start-up, warm-up and exit cancelled out. It prints both figures and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = "/graphql/ctx/bench_user/?user_id=1"
EXPECT = b'"name":"user1"'
WARM_UP = 50
SETTINGS = {"off": "bench.settings", "on": "bench.metrics_settings"}
ECHO_EXPECT = b'"message":"hi"'


def graphql_requests() -> dict[str, tuple[str, str, bytes, bytes]]:
    """bench.run's GraphQL cases and their floor: name -> (method, path, body, expected)."""
    from bench.run import ECHO, cases
    from mizan_gql.persisted import document_hash

    by_name = {case.name: case for case in cases(document_hash(ECHO))}
    chosen = {
        "plain": "plain Django JsonResponse view (floor)",
        "persisted GET": "mizan echo, persisted GET (hash only)",
        "POST with query text": "mizan echo, POST with the query text",
    }
    requests = {}
    for name, case_name in chosen.items():
        case = by_name[case_name]
        body = json.dumps(case.body).encode() if case.body is not None else b""
        requests[name] = ("POST" if body else "GET", case.path, body, ECHO_EXPECT)
    return requests


def child(settings: str, requests: int, request: str | None = None) -> None:
    """Set Django up, warm up, then make ``requests`` context hits (under valgrind), or
    ``requests`` of one of :func:`graphql_requests`."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
    method, full_path, body, expect = (
        graphql_requests()[request] if request else ("GET", PATH, b"", EXPECT)
    )
    path, _, query = full_path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }

    async def one() -> None:
        sent: list[dict] = []
        bodies = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict:
            if bodies:
                return bodies.pop()
            await asyncio.Future()  # the client stays: Django cancels this when done
            raise AssertionError("unreachable")

        async def send(message: dict) -> None:
            sent.append(message)

        await application(dict(scope), receive, send)
        status = sent[0]["status"]
        answer = b"".join(m.get("body", b"") for m in sent[1:])
        if status != 200 or expect not in answer:
            raise SystemExit(f"unexpected answer {status}: {answer[:200]!r}")

    async def run() -> None:
        for _ in range(WARM_UP):
            await one()
        for _ in range(requests):
            await one()

    asyncio.run(run())


def instructions(settings: str, requests: int, request: str | None = None) -> int:
    """Total instructions callgrind counts for a child making ``requests`` hits (or
    requests of ``request``, one of :func:`graphql_requests`)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/callgrind.out",
            sys.executable,
            "-m",
            "bench.instructions",
            "--child",
            settings,
            "--requests",
            str(requests),
            *(["--request", request] if request else []),
        ]
        # A fixed hash seed: dict and set layouts (and so their instructions) repeat.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0:
            raise SystemExit(f"{settings} failed:\n{done.stderr[-3000:]}")
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"no instruction count in callgrind's output:\n{done.stderr}")
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="N (the runs make N and 2N)")
    parser.add_argument(
        "--requests-of",
        choices=["context", "graphql"],
        default="context",
        help="context hits with observability off and on, or bench.run's GraphQL cases",
    )
    parser.add_argument("--child", metavar="SETTINGS", help=argparse.SUPPRESS)
    parser.add_argument("--request", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests, args.request)
        return
    if args.requests_of == "graphql":
        compare_graphql(args.requests)
        return
    n = args.requests
    runs = [(settings, count) for settings in SETTINGS.values() for count in (n, 2 * n)]
    # Two children at a time (instruction counts do not depend on what else runs).
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: instructions(*run), runs), strict=True))
    per_hit: dict[str, float] = {}
    for name, settings in SETTINGS.items():
        first, second = totals[settings, n], totals[settings, 2 * n]
        per_hit[name] = (second - first) / n
        print(
            f"observability {name:3} ({settings}): {first:,} instructions for {n} hits, "
            f"{second:,} for {2 * n}: {per_hit[name]:,.0f} per hit",
            flush=True,
        )
    ratio = per_hit["on"] / per_hit["off"]
    print(f"on / off: {ratio:.4f} ({(ratio - 1) * 100:+.2f} %)")


def compare_graphql(n: int) -> None:
    """Instructions per request of bench.run's GraphQL cases, as ratios to the plain view
    (a ratio of instructions: below 1.0 the case costs less than the floor)."""
    names = list(graphql_requests())
    runs = [(name, count) for name in names for count in (n, 2 * n)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(
            zip(
                runs,
                pool.map(lambda run: instructions("bench.settings", run[1], run[0]), runs),
                strict=True,
            )
        )
    per_request = {name: (totals[name, 2 * n] - totals[name, n]) / n for name in names}
    floor = per_request["plain"]
    for name in names:
        print(
            f"{name:22} {per_request[name]:>12,.0f} instructions per request, "
            f"{per_request[name] / floor:.3f}x the plain view's",
            flush=True,
        )


if __name__ == "__main__":
    main()
