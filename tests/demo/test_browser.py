"""The demo in a real browser: Debian's Chromium driven by playwright-core (tests/browser).

The Node script signs alice and bob in (two browsers, each with a new empty user-data-dir),
checks the hydrated header, edits a profile and sees the change (also live in the other
browser), fails then passes the contact form (Zod, then the server) and exchanges chat
messages. Screenshots of every page land in test-output/browser/ (not committed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, DemoServer, node_missing, require

SCRIPT_DIR = ROOT / "tests" / "browser"
SCREENSHOTS = ROOT / "test-output" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RUN_TIMEOUT = 150

EXPECTED_SCREENSHOTS = [
    "01-sign-in.png",
    "02-home.png",
    "03-profile.png",
    "04-profile-edit-error.png",
    "05-profile-edited.png",
    "06-profile-live-bob.png",
    "07-contact-client-errors.png",
    "08-contact-server-error.png",
    "09-contact-sent.png",
    "10-chat-alice.png",
    "11-chat-bob.png",
    "12-signed-out.png",
]


def test_demo_in_chromium(request: pytest.FixtureRequest) -> None:
    missing = node_missing()
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium is not installed at {CHROMIUM}")
    if not (SCRIPT_DIR / "node_modules" / "playwright-core").is_dir():
        missing.append("tests/browser/node_modules/playwright-core is missing")
    require(
        missing,
        "bash .ci/setup installs Chromium and the npm packages of tests/browser",
    )
    demo: DemoServer = request.getfixturevalue("built_demo")

    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    env = {
        **os.environ,
        "DEMO_URL": demo.url,
        "SCREENSHOT_DIR": str(SCREENSHOTS),
        "CHROMIUM_PATH": CHROMIUM,
    }
    try:
        run = subprocess.run(
            ["node", "demo.mjs"],
            cwd=SCRIPT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(
            f"the browser test ran over {RUN_TIMEOUT} s:\n{expired.stdout}\n{expired.stderr}"
        )
    report = f"{run.stdout}\n{run.stderr}\n--- server log (tail) ---\n{demo.output()[-4000:]}"
    assert run.returncode == 0, report
    assert "PASSED" in run.stdout, report
    taken = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    assert taken == EXPECTED_SCREENSHOTS, report
