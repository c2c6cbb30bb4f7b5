"""Build the demo's React front end: npm packages, the generated client, the esbuild bundle.

``rundemo`` calls :func:`build` before serving. Several ``rundemo`` processes may start at
once (tests do), so the steps run under an exclusive file lock; the bundler replaces its output
files atomically, so a server that is already running never serves half a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

FRONTEND_DIR = Path(settings.BASE_DIR) / "frontend"
# Written by `manage.py export_client` on every build; not committed (frontend/.gitignore).
CLIENT_DIR = FRONTEND_DIR / "src" / "mizan"
REQUIRED_PACKAGES = ("esbuild", "react", "react-dom", "zod", "graphql-ws", "graphql")
NPM_TIMEOUT = 600
BUILD_TIMEOUT = 120


def build(stdout: TextIO) -> None:
    """Install the npm packages if needed, generate the TypeScript client and bundle."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise CommandError(
            "Building the demo's front end needs Node.js (18 or later) and npm on PATH: "
            "install them (https://nodejs.org), or pass --no-build to serve only the API "
            "and GraphiQL."
        )
    with _exclusive(FRONTEND_DIR / ".build.lock"):
        missing = [p for p in REQUIRED_PACKAGES if not (FRONTEND_DIR / "node_modules" / p).is_dir()]
        if missing:
            stdout.write("Installing the front end's npm packages (first run only)...\n")
            _run([npm, "install", "--no-package-lock", "--no-audit", "--no-fund"], NPM_TIMEOUT)
        # The demo uses neither Apollo-style typed documents nor TanStack Query: leaving those
        # bindings out spares their npm packages.
        call_command(
            "export_client", out=str(CLIENT_DIR), skip=["documents", "tanstack"], stdout=stdout
        )
        _run([node, "build.mjs"], BUILD_TIMEOUT, stdout)


def _run(command: list[str], timeout: int, stdout: TextIO | None = None) -> None:
    try:
        done = subprocess.run(
            command,
            cwd=FRONTEND_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CommandError(f"`{' '.join(command)}` did not finish within {timeout} s") from None
    if done.returncode != 0:
        raise CommandError(
            f"`{' '.join(command)}` failed in {FRONTEND_DIR} (exit status {done.returncode}):\n"
            f"{done.stdout}{done.stderr}"
        )
    if stdout is not None and done.stdout:
        stdout.write(done.stdout)


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: builds run one at a time there in practice
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
