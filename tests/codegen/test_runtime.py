"""The generated client running in Node against a real server (daphne, loopback).

tests/ts/runtime/client.test.ts calls generated functions (persisted GET, APQ fallback,
CSRF on mutations, typed errors), checks that Zod and the server agree on form inputs,
receives a channel broadcast over graphql-ws, sees contexts refetched after an
X-Mizan-Invalidate answer and after a mizanInvalidations event, and reads hydration data.
tests/ts/runtime/hooks.test.ts renders the React hooks (react-test-renderer) against it.
tests/ts/runtime/ssr.test.ts renders two users' pages at once with a client per request;
documents.test.ts runs the typed documents with graphql-request; tanstack.test.ts renders
the TanStack Query binding (@testing-library/react in jsdom) and follows its invalidations.
"""

from __future__ import annotations

import re
import shutil

from .conftest import TS_DIR, require_node, run_export, run_node, tsc, write_tsconfig

TEST_FILES = (
    "client.test.ts",
    "hooks.test.ts",
    "ssr.test.ts",
    "documents.test.ts",
    "tanstack.test.ts",
)


def test_generated_client_works_against_a_running_server(app_server, workdir):
    require_node()
    # The layout of tests/ts (generated/app + runtime/), in a private directory.
    exported = run_export(workdir / "generated" / "app")
    assert exported.returncode == 0, exported.stderr
    shutil.copytree(TS_DIR / "runtime", workdir / "runtime")
    project = write_tsconfig(
        workdir, ["generated/app/*.ts", "runtime/*.ts", "runtime/*.tsx"], types=["node"]
    )

    checked = tsc(project)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    result = run_node(
        "node",
        "--experimental-websocket",
        "--no-warnings",
        "--import",
        "tsx",
        "--test",
        "--test-timeout=30000",
        *(f"runtime/{name}" for name in TEST_FILES),
        env={"MIZAN_URL": app_server},
        timeout=240,
        cwd=workdir,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    written = sum(
        re.subn(r"^test\(", "", (TS_DIR / "runtime" / name).read_text(), flags=re.M)[1]
        for name in TEST_FILES
    )
    assert "# fail 0" in output and f"# pass {written}\n" in output, output
    assert "unhandledRejection" not in output, output
