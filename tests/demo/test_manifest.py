"""The demo's views and contexts, as the edge sees them (SPEC §7's example is the demo)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT


def test_edge_manifest_lists_the_profile_view(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_site.settings",
        "MIZAN_DEMO_DB": str(tmp_path / "demo.sqlite3"),
    }
    env.pop("MIZAN_DEMO_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "django", "export_edge_manifest"],
        cwd=ROOT / "demo",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    contexts = json.loads(done.stdout)["contexts"]
    user = contexts["user"]
    assert user["views"] == ["/profile/:user_id/"]
    assert user["endpoints"] == ["/graphql/ctx/user/"] and user["params"] == ["user_id"]
    assert {"name": "profile", "path": "view"} in user["functions"]
    assert {"name": "user_profile", "path": "rpc"} in user["functions"]
    assert contexts["people"]["views"] == ["/"]
