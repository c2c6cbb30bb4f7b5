"""mizan_gql's Debug Toolbar panel in Chromium (tests/browser/toolbar.mjs), on the demo
started with the toolbar (``MIZAN_DEMO_TOOLBAR=1``): a context hit read with fetch(), then
a mutation that invalidates, each checked row by row in the panel. Screenshots land in
test-output/browser/toolbar-*.png (docs/images/ keeps a copy for docs/observability.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import free_port, launch, running, server_env

from .conftest import START_TIMEOUT, demo_database, node_missing, require
from .test_browser import CHROMIUM, SCREENSHOTS, SCRIPT_DIR

RUN_TIMEOUT = 90


@pytest.fixture(scope="module")
def toolbar_demo(tmp_path_factory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("toolbar-demo")
    with demo_database(directory) as database:
        port = free_port()
        env = server_env(
            env={**database, "MIZAN_DEMO_TOOLBAR": "1"},
            unset=("DJANGO_SETTINGS_MODULE", "MIZAN_DEMO_BACKEND"),
        )
        command = [sys.executable, "demo/manage.py", "rundemo", f"127.0.0.1:{port}", "--no-build"]
        process = launch(command, port, directory / "rundemo.log", env, "rundemo", new_session=True)
        with running(process, START_TIMEOUT, interval=0.1):
            yield process.url


def test_the_panel_in_chromium(toolbar_demo: str) -> None:
    missing = node_missing()
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium is not installed at {CHROMIUM}")
    if not (SCRIPT_DIR / "node_modules" / "playwright-core").is_dir():
        missing.append("tests/browser/node_modules/playwright-core is missing")
    require(missing, "bash .ci/setup installs Chromium and the npm packages of tests/browser")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("toolbar-*.png"):
        old.unlink()
    env = {
        **os.environ,
        "DEMO_URL": toolbar_demo,
        "SCREENSHOT_DIR": str(SCREENSHOTS),
        "CHROMIUM_PATH": CHROMIUM,
    }
    run = subprocess.run(
        ["node", "toolbar.mjs"],
        cwd=SCRIPT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    report = f"{run.stdout}\n{run.stderr}"
    assert run.returncode == 0 and "PASSED" in run.stdout, report
    taken = sorted(p.name for p in SCREENSHOTS.glob("toolbar-*.png"))
    assert taken == ["toolbar-01-context-hit.png", "toolbar-02-mutation.png"], report
