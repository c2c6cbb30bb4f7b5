"""GraphiQL in Chromium with no internet and a strict Content-Security-Policy: a query typed
into its editor returns data (tests/browser/graphiql.mjs drives it with playwright-core).

The page is served by daphne (tests/graphiql_app: DEBUG, static files as runserver serves
them, ``Content-Security-Policy: default-src 'self'``). A screenshot of the page with the
result lands in test-output/graphiql.png (not committed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import ROOT, asgi_server

SCRIPT_DIR = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT = ROOT / "test-output" / "graphiql.png"
RUN_TIMEOUT = 120


def require_browser() -> None:
    """Skip without Node.js, Chromium or playwright-core, except under CI=true: fail."""
    missing = [f"{tool} is not installed" for tool in ("node",) if shutil.which(tool) is None]
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium is not installed at {CHROMIUM}")
    if not (SCRIPT_DIR / "node_modules" / "playwright-core").is_dir():
        missing.append("tests/browser/node_modules/playwright-core is missing")
    if not missing:
        return
    reason = f"{'; '.join(missing)} (bash .ci/setup installs them)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def test_a_query_typed_in_graphiql_returns_data_offline() -> None:
    require_browser()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    with asgi_server(
        "tests.graphiql_app.asgi:application", settings="tests.graphiql_app.settings"
    ) as server:
        env = {
            **os.environ,
            "GRAPHIQL_URL": f"{server.url}/graphql",
            "CHROMIUM_PATH": CHROMIUM,
            "SCREENSHOT": str(SCREENSHOT),
        }
        try:
            run = subprocess.run(
                ["node", "graphiql.mjs"],
                cwd=SCRIPT_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT,
            )
        except subprocess.TimeoutExpired as expired:
            output = f"{expired.stdout}\n{expired.stderr}"
            pytest.fail(f"the browser ran over {RUN_TIMEOUT} s:\n{output}")
        report = f"{run.stdout}\n{run.stderr}\n--- server log ---\n{server.output()[-4000:]}"
    assert run.returncode == 0, report
    assert "PASSED" in run.stdout, report
