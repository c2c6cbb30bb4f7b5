"""Helpers of the generated-client tests: running export_client, Node tools, a live server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fixtures import own_redis  # noqa: F401  (fixture)
from tests.support.servers import asgi_server

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "tests" / "ts"
GENERATED = TS_DIR / "generated"
SNAPSHOT = ROOT / "tests" / "snapshots" / "ts_client"
APP_SETTINGS = "tests.codegen_app.settings"
DEMO_DIR = ROOT / "demo"
COMMAND_TIMEOUT = 120


def run_export(
    out: Path,
    settings: str = APP_SETTINGS,
    *extra: str,
    seed: str = "0",
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``manage.py export_client`` in a fresh interpreter (so its own registry is used)."""
    env = {
        **os.environ,
        **(env or {}),
        "PYTHONHASHSEED": seed,
        "DJANGO_SETTINGS_MODULE": settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "export_client", "--out", str(out), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )


def require_node() -> None:
    """Skip without the Node packages of tests/ts, except under CI=true where they must run."""
    missing = []
    if shutil.which("node") is None or shutil.which("npx") is None:
        missing.append("node/npx are not installed")
    for package in (
        "typescript",
        "react",
        "react-test-renderer",
        "zod",
        "graphql-ws",
        "graphql-sse",
        "tsx",
        "@types/react-18",
        "zod-4",
        "@tanstack/react-query",
        "@testing-library/react",
        "@graphql-typed-document-node/core",
        "graphql-request",
        "jsdom",
    ):
        if not (TS_DIR / "node_modules" / package).is_dir():
            missing.append(f"tests/ts/node_modules/{package} is missing")
    if not missing:
        return
    reason = "; ".join(missing) + (
        " (bash .ci/setup installs them; or run `npm install --no-package-lock` in tests/ts)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def run_node(
    *args: str, env: dict[str, str] | None = None, timeout: int = 180, cwd: Path = TS_DIR
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def tsc(project: Path) -> subprocess.CompletedProcess[str]:
    tsc_bin = TS_DIR / "node_modules" / ".bin" / "tsc"
    return run_node(str(tsc_bin), "--strict", "--noEmit", "-p", str(project))


# Beyond --strict: what strict projects turn on, so the generated files compile in them too.
STRICTEST = {
    "noUnusedLocals": True,
    "noUnusedParameters": True,
    "noImplicitReturns": True,
    "noImplicitOverride": True,
    "noUncheckedIndexedAccess": True,
    "noFallthroughCasesInSwitch": True,
    "exactOptionalPropertyTypes": True,
    "verbatimModuleSyntax": True,
}


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A private directory under tests/ts (so Node finds tests/ts/node_modules), removed after.

    Test runs can overlap (xdist workers, several checkouts' test runs), so nothing is
    generated into a shared path.
    """
    import uuid

    path = GENERATED / f"run-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write_tsconfig(
    directory: Path,
    include: list[str],
    types: list[str] | None = None,
    paths: dict[str, list[str]] | None = None,
    strictest: bool = False,
) -> Path:
    """A tsconfig in ``directory`` extending tests/ts/tsconfig.base.json."""
    import json

    base = Path(os.path.relpath(TS_DIR / "tsconfig.base.json", directory))
    options: dict[str, object] = {"types": types or []}
    if paths:
        options["paths"] = paths
    if strictest:
        options.update(STRICTEST)
    config = {"extends": base.as_posix(), "compilerOptions": options, "include": include}
    path = directory / "tsconfig.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[str]:
    """The codegen test project served by daphne on a free loopback port."""
    log = tmp_path_factory.mktemp("codegen-server") / "daphne.log"
    app = "tests.codegen_app.asgi:application"
    with asgi_server(app, APP_SETTINGS, log=log, timeout=60) as server:
        yield server.url
