"""The generated clients of the test projects and of the demo compile under ``tsc --strict``."""

from __future__ import annotations

import pytest

from .conftest import DEMO_DIR, ROOT, require_node, run_export, tsc, write_tsconfig


@pytest.mark.parametrize(
    ("settings", "cwd"),
    [
        pytest.param("tests.settings", ROOT, id="test-registry"),
        pytest.param("tests.codegen_app.settings", ROOT, id="codegen-app"),
        pytest.param("demo_site.settings", DEMO_DIR, id="demo"),
    ],
)
def test_generated_client_compiles_under_tsc_strict(settings, cwd, workdir, tmp_path):
    require_node()
    out = workdir / "client"
    # The demo reads its database path from the environment; nothing is written to it.
    env = {"MIZAN_DEMO_DB": str(tmp_path / "demo.sqlite3")}
    exported = run_export(out, settings, cwd=cwd, env=env)
    assert exported.returncode == 0, exported.stderr
    checked = tsc(write_tsconfig(workdir, ["client/*.ts"]))
    assert checked.returncode == 0, checked.stdout + checked.stderr
