"""A short soak (the long one is ``uv run python -m bench.soak``): concurrent HTTP and
WebSocket clients in another process against a real daphne server, zero errors, no loss."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_short_soak_has_no_errors_and_loses_nothing():
    command = [sys.executable, "-m", "bench.soak", "--json", "--duration", "5"]
    command += ["--http", "30", "--ws", "60", "--rooms", "6", "--settle", "2"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["errors"] == 0 and summary["lost"] == 0, summary
    assert summary["http_requests"] > 0
    assert summary["delivered"] == summary["expected_deliveries"] > 0
    assert summary["server_tracebacks"] == 0
