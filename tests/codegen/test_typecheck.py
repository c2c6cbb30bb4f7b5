"""The generated clients of the test projects and of the demo compile under ``tsc --strict``.

Also with the flags strict projects add (``noUnusedLocals``, ``exactOptionalPropertyTypes``,
``noUncheckedIndexedAccess``, ``verbatimModuleSyntax``, ...): the generated files are part of
the application's compilation, so they must not break its settings.
"""

from __future__ import annotations

import shutil

import pytest

from .conftest import (
    DEMO_DIR,
    ROOT,
    TS_DIR,
    require_node,
    run_export,
    run_node,
    tsc,
    write_tsconfig,
)


@pytest.mark.parametrize(
    ("settings", "cwd"),
    [
        pytest.param("tests.settings", ROOT, id="test-registry"),
        pytest.param("tests.codegen_app.settings", ROOT, id="codegen-app"),
        pytest.param("tests.codegen_app.empty_settings", ROOT, id="empty-registry"),
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
    checked = tsc(write_tsconfig(workdir, ["client/*.ts"], strictest=True))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_generated_client_compiles_against_react_18_and_zod_4(workdir):
    """The other supported majors: React 18 types and Zod 4 (tests/ts has React 19, Zod 3)."""
    require_node()
    exported = run_export(workdir / "generated" / "app")
    assert exported.returncode == 0, exported.stderr
    (workdir / "runtime").mkdir()
    shutil.copy(TS_DIR / "runtime" / "usage.tsx", workdir / "runtime" / "usage.tsx")
    react_18 = TS_DIR / "node_modules" / "@types" / "react-18"
    zod_4 = TS_DIR / "node_modules" / "zod-4"
    project = write_tsconfig(
        workdir,
        ["generated/app/*.ts", "runtime/usage.tsx"],
        paths={
            "react": [str(react_18 / "index.d.ts")],
            "react/jsx-runtime": [str(react_18 / "jsx-runtime.d.ts")],
            "zod": [str(zod_4 / "index.d.cts")],
        },
    )
    checked = tsc(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = run_node(
        str(TS_DIR / "node_modules" / ".bin" / "tsc"), "--noEmit", "--listFiles", "-p", str(project)
    ).stdout
    assert "/@types/react-18/index.d.ts" in listed
    assert "/@types/react/index.d.ts" not in listed
    assert "/zod-4/" in listed and "/node_modules/zod/" not in listed
