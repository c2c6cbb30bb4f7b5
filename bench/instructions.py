"""Instructions per context hit, with and without ``mizan_gql.observability``, by callgrind.

``uv run python -m bench.instructions`` (needs valgrind: ``apt-get install valgrind``).

Requests per second on a shared machine move by more than the 3 % this compares (see the
control row of ``bench.run``); instruction counts do not. For each settings module
(``bench.settings``: observability off; ``bench.metrics_settings``: the app with its live
counters, OpenTelemetry's SDK and prometheus_client) this runs a child process under
``valgrind --tool=callgrind`` twice: Django set up in process, the ASGI application
(``get_asgi_application()``, the whole middleware stack) called directly with
``GET /graphql/ctx/bench_user/?user_id=1``, warmed up, then ``N`` and ``2N`` requests.
The difference of the two totals over ``N`` is the instructions of one context hit, with
start-up, warm-up and exit cancelled out. It prints both figures and their ratio.

``--compare paths`` counts, the same way, one request of each path a context hit can take
(and the plain ``JsonResponse`` view, the floor): answered at the ASGI layer
(``wrap_asgi``), by ``ContextCacheMiddleware``, by the view through the whole stack.
``--compare graphql`` counts bench.run's GraphQL cases against that floor: the persisted
GET (hash only) and the POST with the query text, through Django's handler alone and through
``wrap_asgi`` (the middleware stack and the view in one thread).
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
ECHO_EXPECT = b'"message":"hi"'
# case -> (settings, application in bench.asgi, path, what the answer contains); a path
# starting with "bench.run:" names one of bench.run's cases (method, path and body).
CASES = {
    "off": ("bench.settings", "django_only", PATH, EXPECT),
    "on": ("bench.metrics_settings", "django_only", PATH, EXPECT),
    "plain view": ("bench.settings", "django_only", "/plain/?text=hi", b'"message":"hi"'),
    "ASGI layer": ("bench.settings", "application", PATH, EXPECT),
    "ContextCacheMiddleware": ("bench.settings", "django_only", PATH, EXPECT),
    "view": ("bench.settings", "django_only", "/view-path" + PATH[len("/graphql") :], EXPECT),
    "persisted GET": (
        "bench.settings",
        "django_only",
        "bench.run:mizan echo, persisted GET (hash only)",
        ECHO_EXPECT,
    ),
    "POST with query text": (
        "bench.settings",
        "django_only",
        "bench.run:mizan echo, POST with the query text",
        ECHO_EXPECT,
    ),
    # The same two through wrap_asgi: MIDDLEWARE and the view in one thread (one_thread).
    "persisted GET, wrap_asgi": (
        "bench.settings",
        "application",
        "bench.run:mizan echo, persisted GET (hash only)",
        ECHO_EXPECT,
    ),
    "POST with query text, wrap_asgi": (
        "bench.settings",
        "application",
        "bench.run:mizan echo, POST with the query text",
        ECHO_EXPECT,
    ),
}
COMPARE = {
    "observability": ("off", "on"),
    "paths": ("plain view", "ASGI layer", "ContextCacheMiddleware", "view"),
    "asgi": ("plain view", "ASGI layer"),  # the shortest: the ASGI layer's hit and the floor
    "graphql": (
        "plain view",
        "persisted GET",
        "POST with query text",
        "persisted GET, wrap_asgi",
        "POST with query text, wrap_asgi",
    ),
}


def request_of(target: str) -> tuple[str, str, bytes]:
    """(method, path with query string, body) of a case's target."""
    if not target.startswith("bench.run:"):
        return "GET", target, b""
    from bench.run import ECHO, cases
    from mizan_gql.persisted import document_hash

    case = {c.name: c for c in cases(document_hash(ECHO))}[target.removeprefix("bench.run:")]
    body = json.dumps(case.body).encode() if case.body is not None else b""
    return ("POST" if body else "GET"), case.path, body


def child(case: str, requests: int) -> None:
    """Set Django up, warm up, then make ``requests`` requests of ``case`` (under valgrind)."""
    settings, app, target, expect = CASES[case]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import bench.asgi

    application = getattr(bench.asgi, app)
    method, full_path, request_body = request_of(target)
    path, _, query = full_path.partition("?")
    headers = [(b"host", b"127.0.0.1")]
    if request_body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(request_body)),
        ]
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
        bodies = [{"type": "http.request", "body": request_body, "more_body": False}]

        async def receive() -> dict:
            if bodies:
                return bodies.pop()
            await asyncio.Future()  # the client stays: Django cancels this when done
            raise AssertionError("unreachable")

        async def send(message: dict) -> None:
            sent.append(message)

        await application(dict(scope), receive, send)
        status = sent[0]["status"]
        body = b"".join(m.get("body", b"") for m in sent[1:])
        if status != 200 or expect not in body:
            raise SystemExit(f"unexpected answer {status}: {body[:200]!r}")

    async def run() -> None:
        for _ in range(WARM_UP):
            await one()
        for _ in range(requests):
            await one()

    asyncio.run(run())


def instructions(case: str, requests: int) -> int:
    """Total instructions callgrind counts for a child making ``requests`` requests."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/callgrind.out",
            sys.executable,
            "-m",
            "bench.instructions",
            "--child",
            case,
            "--requests",
            str(requests),
        ]
        # A fixed hash seed: dict and set layouts (and so their instructions) repeat.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0:
            raise SystemExit(f"{case} failed:\n{done.stderr[-3000:]}")
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"no instruction count in callgrind's output:\n{done.stderr}")
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="N (the runs make N and 2N)")
    parser.add_argument("--child", metavar="CASE", help=argparse.SUPPRESS)
    parser.add_argument("--compare", choices=COMPARE, default="observability")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests)
        return
    n = args.requests
    compared = COMPARE[args.compare]
    runs = [(case, count) for case in compared for count in (n, 2 * n)]
    # Two children at a time (instruction counts do not depend on what else runs).
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: instructions(*run), runs), strict=True))
    per_request: dict[str, float] = {}
    for case in compared:
        first, second = totals[case, n], totals[case, 2 * n]
        per_request[case] = (second - first) / n
        label = f"observability {case:3} ({CASES[case][0]})" if case in ("off", "on") else case
        print(
            f"{label}: {first:,} instructions for {n} requests, "
            f"{second:,} for {2 * n}: {per_request[case]:,.0f} per request",
            flush=True,
        )
    if args.compare == "observability":
        ratio = per_request["on"] / per_request["off"]
        print(f"on / off: {ratio:.4f} ({(ratio - 1) * 100:+.2f} %)")
        return
    floor = per_request["plain view"]
    for case in compared[1:]:
        print(
            f"{case}: {floor / per_request[case]:.3f}x (the plain view's instructions over "
            "this case's: above 1 it costs less than the floor)"
        )


if __name__ == "__main__":
    main()
