"""One command: ``uv run python -m bench.run`` (needs ``wrk``: ``apt-get install wrk``).

Starts the benchmark project under one ASGI server (``--server``: uvicorn, daphne, or
gunicorn with one uvicorn worker; one process each) on a random loopback port, checks
that every endpoint answers correctly, then measures requests per second with wrk,
running in its own process, for each case and prints each as a ratio to the plain
Django view. Every run is bounded: a fixed duration per case, a timeout on each process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tests.support.servers import BENCH_SERVERS, ServerError, asgi_server

ROOT = Path(__file__).resolve().parent.parent
ECHO = "query Echo($text: String!) {\n  echo(text: $text) {\n    message\n  }\n}"


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    body: dict | None = None  # POSTed as JSON when given
    expect: str = '"message":"hi"'
    # "metrics": the same project with mizan_gql.observability; "django": Django's handler
    # without wrap_asgi (ContextCacheMiddleware answers the context hits)
    server: str = "main"


def cases(echo_sha256: str) -> list[Case]:
    persisted = {
        "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": echo_sha256}}),
        "variables": json.dumps({"text": "hi"}),
    }
    post = {"query": ECHO, "variables": {"text": "hi"}}
    return [
        Case("plain Django JsonResponse view (floor)", "/plain/?text=hi"),
        # The floor measured again as if it were another case: how far apart two
        # measurements of the same thing land in this run (ideally 1.00x).
        Case("the plain view again (control)", "/plain/?text=hi"),
        Case("a bare ASGI answer, no Django (the server's ceiling)", "/bare/"),
        Case(
            "context hit, answered at the ASGI layer (wrap_asgi)",
            "/graphql/ctx/bench_user/?user_id=1",
            expect='"name":"user1"',
        ),
        Case(
            "the same hit, by ContextCacheMiddleware (no wrap_asgi)",
            "/graphql/ctx/bench_user/?user_id=1",
            expect='"name":"user1"',
            server="django",
        ),
        Case(
            "the same hit, metrics on (observability app)",
            "/graphql/ctx/bench_user/?user_id=1",
            expect='"name":"user1"',
            server="metrics",
        ),
        Case(
            "the same hit, answered by the view",
            "/view-path/ctx/bench_user/?user_id=1",
            expect='"name":"user1"',
        ),
        Case("mizan echo, POST with the query text", "/graphql", post),
        Case("mizan echo, persisted GET (hash only)", f"/graphql?{urlencode(persisted)}"),
        # The same two through Django's own ASGI handler (no wrap_asgi): a thread hop per
        # middleware method instead of wrap_asgi's one thread per request.
        Case("the same POST, Django's handler (no wrap_asgi)", "/graphql", post, server="django"),
        Case(
            "the same persisted GET, Django's handler (no wrap_asgi)",
            f"/graphql?{urlencode(persisted)}",
            server="django",
        ),
        Case("Strawberry view, same schema (vanilla)", "/strawberry/", post),
        Case("Strawberry view + ParserCache + ValidationCache", "/strawberry-cached/", post),
    ]


def fetch(base: str, case: Case) -> str:
    data = json.dumps(case.body).encode() if case.body is not None else None
    request = urllib.request.Request(
        base + case.path, data=data, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        if response.status != 200 or case.expect not in text or '"errors"' in text:
            raise SystemExit(f"{case.name}: unexpected answer {response.status} {text}")
        return text


def wrk(base: str, case: Case, seconds: int, connections: int, script_dir: Path) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if case.body is not None:
        script = script_dir / f"post{abs(hash(case.path))}.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(json.dumps(case.body))}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, base + case.path], capture_output=True, text=True, timeout=seconds + 30
    )
    output = result.stdout
    if result.returncode != 0 or "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"{case.name}: wrk reported errors\n{output}{result.stderr}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise SystemExit(f"{case.name}: cannot read wrk's output\n{output}")
    return float(match.group(1))


def balanced_order(n: int, round_: int) -> list[int]:
    """The order of the cases in a round: row ``round_`` of a Williams square.

    Over ``n`` rounds (``n`` even) each case is measured once in each position and right
    after each other case exactly once, so neither a position nor the case measured just
    before (a warmer or colder server) favours any case.
    """
    first, low, high = [0], 1, n - 1
    while len(first) < n:
        first.append(low)
        low += 1
        if len(first) < n:
            first.append(high)
            high -= 1
    return [(index + round_) % n for index in first]


def measure(
    bases: dict[str, str], all_cases: list[Case], args: argparse.Namespace
) -> dict[str, list[float]]:
    for case in all_cases:
        fetch(bases[case.server], case)  # correct answers first; also warms every cache
    results: dict[str, list[float]] = {c.name: [] for c in all_cases}
    with tempfile.TemporaryDirectory() as tmp:
        for case in all_cases:
            wrk(bases[case.server], case, 1, args.connections, Path(tmp))  # warm-up
        for round_ in range(args.rounds):  # interleaved rounds even out drifts of the machine
            for index in balanced_order(len(all_cases), round_):
                case = all_cases[index]
                rps = wrk(bases[case.server], case, args.seconds, args.connections, Path(tmp))
                results[case.name].append(rps)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="duration of each measurement")
    parser.add_argument(
        "--rounds",
        type=int,
        default=8,
        help="measurements per case (median); 8 balance positions and predecessors",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--server", choices=BENCH_SERVERS, default="uvicorn")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from mizan_gql.persisted import document_hash

    all_cases = cases(document_hash(ECHO))
    servers = {
        "main": ("bench.asgi:application", "bench.settings"),
        "metrics": ("bench.asgi:application", "bench.metrics_settings"),
        "django": ("bench.asgi:django_only", "bench.settings"),
    }
    try:
        with ExitStack() as stack:
            bases = {
                name: stack.enter_context(
                    asgi_server(
                        app,
                        settings,
                        env={"PYTHONPATH": str(ROOT)},
                        timeout=30,
                        new_session=True,
                        server=args.server,
                    )
                ).url
                for name, (app, settings) in servers.items()
            }
            results = measure(bases, all_cases, args)
    except ServerError as error:
        raise SystemExit(str(error)) from None

    plain = results[all_cases[0].name]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.server}, 1 process; wrk -t1 -c{args.connections}, {args.seconds}s x {args.rounds} "
        f"interleaved rounds (balanced order); Python {sys.version.split()[0]}; "
        f"{os.cpu_count()} CPUs, load average {load}\n"
    )
    print("ratio: the median over rounds of req/s / the plain view's req/s in the same round\n")
    print(f"| {'case':<56} | {'req/s':>8} | {'ratio':>6} | {'rounds':>11} |")
    print(f"|{'-' * 58}|{'-' * 10}|{'-' * 8}|{'-' * 13}|")
    for case in all_cases:
        ratios = [rps / floor for rps, floor in zip(results[case.name], plain, strict=True)]
        spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
        print(
            f"| {case.name:<56} | {statistics.median(results[case.name]):>8.0f} "
            f"| {statistics.median(ratios):>5.2f}x | {spread:>11} |"
        )


if __name__ == "__main__":
    main()
