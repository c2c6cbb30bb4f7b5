"""Real servers for the edge tests: the edge test project under daphne, Varnish in front.

Each stack gets its own loopback ports, varnishd working directory and origin process, so
the tests are safe under xdist. Without varnishd the tests skip, except under CI=true,
where .ci/setup installs Varnish and a skip would hide a failure.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import (
    free_port,
    server_env,
    start_asgi_server,
    stop_process,
    wait_for_port,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.edge_app.settings"
# Generous: a loaded CI machine (pytest -n 2 next to other suites) starts daphne slowly.
START_TIMEOUT = 90.0
REQUEST_TIMEOUT = 10.0
XKEY_PATHS = ("/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/varnish/vmods")


def require_varnish() -> str:
    """The varnishd executable (with vmod_xkey); skip without it, fail under CI=true."""
    found = shutil.which("varnishd") or next(
        (p for p in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd") if os.path.exists(p)),
        None,
    )
    problem = None
    if found is None:
        problem = "varnishd is not installed (bash .ci/setup installs Varnish and vmod_xkey)"
    elif not _has_xkey():
        problem = "vmod_xkey is missing (bash .ci/setup installs Varnish and vmod_xkey)"
    if problem is None:
        assert found is not None
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {problem}")
    pytest.skip(problem)


def _has_xkey() -> bool:
    for directory in XKEY_PATHS:
        if os.path.exists(os.path.join(directory, "libvmod_xkey.so")):
            return True
    found = subprocess.run(
        [
            "sh",
            "-c",
            "ls /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish*/vmods/"
            "libvmod_xkey.so 2>/dev/null",
        ],
        capture_output=True,
        timeout=10,
    )
    return bool(found.stdout.strip())


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str | None:
        """``hit`` or ``miss`` as the generated VCL reports it."""
        return self.headers.get("X-Mizan-Cache")


def request(
    port: int,
    method: str,
    target: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str | None = None,
) -> Response:
    connection = http.client.HTTPConnection(
        "127.0.0.1",
        port,
        timeout=REQUEST_TIMEOUT,
        source_address=(source, 0) if source else None,
    )
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class EdgeStack:
    """An origin (daphne) and a Varnish in front of it, both on loopback."""

    origin_port: int
    varnish_port: int
    origin_log: Path
    vcl: str

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.varnish_port}"

    def get(self, target: str, **kwargs) -> Response:
        return request(self.varnish_port, "GET", target, **kwargs)

    def origin(self, method: str, target: str, **kwargs) -> Response:
        return request(self.origin_port, method, target, **kwargs)

    def graphql(self, query: str, variables: dict, via_varnish: bool = True, **kwargs) -> Response:
        import json

        port = self.varnish_port if via_varnish else self.origin_port
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        body = json.dumps({"query": query, "variables": variables}).encode()
        return request(port, "POST", "/graphql", headers=headers, body=body, **kwargs)

    def origin_hits(self) -> dict[str, int]:
        import json

        return json.loads(self.origin("GET", "/_origin/").body)["hits"]

    def received_invalidate(self) -> list[str]:
        import json

        return json.loads(self.origin("GET", "/_origin/").body)["received_invalidate"]


def start_stack(
    tmp: Path, purge: str, purge_on_response: bool, extra_env: dict[str, str] | None = None
) -> Iterator[EdgeStack]:
    varnishd = require_varnish()
    origin_port, varnish_port = free_port(), free_port()
    env = server_env(
        SETTINGS,
        {
            "EDGE_TEST_BASE_URL": f"http://127.0.0.1:{varnish_port}",
            "EDGE_TEST_PURGE": purge,
            **(extra_env or {}),
        },
    )
    command = [
        sys.executable,
        "-m",
        "django",
        "export_edge_manifest",
        "--format",
        "vcl",
        "--backend",
        f"127.0.0.1:{origin_port}",
        "--purge-acl",
        "127.0.0.1",
    ]
    if not purge_on_response:
        command.append("--no-purge-on-response")
    vcl = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    vcl_path = tmp / "mizan.vcl"
    vcl_path.write_text(vcl)
    origin_log = tmp / "origin.log"
    varnish_log = tmp / "varnish.log"
    origin = start_asgi_server(
        "tests.edge_app.asgi:application", origin_log, env=env, port=origin_port
    )
    varnish = None
    try:
        origin.wait_ready(START_TIMEOUT)
        with varnish_log.open("wb") as out:
            varnish = subprocess.Popen(
                [
                    varnishd,
                    "-F",
                    "-j",
                    "none",
                    "-n",
                    str(tmp / "varnish"),
                    "-a",
                    f"127.0.0.1:{varnish_port}",
                    "-f",
                    str(vcl_path),
                    "-s",
                    "malloc,32m",
                    "-p",
                    "ban_lurker_sleep=0.1",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(varnish_port, varnish, "varnishd", varnish_log, START_TIMEOUT)
        yield EdgeStack(origin_port, varnish_port, origin_log, vcl)
    finally:
        stop_process(varnish)
        origin.stop()
