"""The demo's React front end type-checks against the client rundemo generated."""

from __future__ import annotations

import subprocess

from .conftest import FRONTEND, DemoServer


def test_front_end_compiles_under_tsc_strict(built_demo: DemoServer) -> None:
    # built_demo ran `export_client --out demo/frontend/src/mizan`, as rundemo always does.
    assert (FRONTEND / "src" / "mizan" / "react.ts").is_file()
    tsc = FRONTEND / "node_modules" / ".bin" / "tsc"
    assert tsc.is_file(), "demo/frontend/node_modules is incomplete: run npm install there"
    checked = subprocess.run(
        [str(tsc), "--noEmit", "-p", "tsconfig.json"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
