"""``manage.py export_client``: snapshot, determinism, ``--check``, clear failures.

Update the snapshot (tests/snapshots/ts_client/, the client of tests/codegen_app) after an
intended change with::

    MIZAN_UPDATE_SNAPSHOTS=1 uv run pytest tests/codegen/test_command.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mizan_gql import client
from mizan_gql.registry import use_registry
from tests.registry import broken

from .conftest import APP_SETTINGS, SNAPSHOT, run_export

EXPECTED_FILES = {
    "README.md",
    "api.ts",
    "channels.ts",
    "documents.ts",
    "forms-runtime.ts",
    "forms.ts",
    "index.ts",
    "live.ts",
    "operations.ts",
    "package.json",
    "react-client.ts",
    "react-runtime.ts",
    "react.ts",
    "runtime.ts",
    "tanstack-runtime.ts",
    "tanstack.ts",
    "types.ts",
}


def export(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("export_client", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def read_dir(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


def test_client_matches_the_snapshot():
    if os.environ.get("MIZAN_UPDATE_SNAPSHOTS"):
        written = run_export(SNAPSHOT, APP_SETTINGS)
        assert written.returncode == 0, written.stderr
    checked = run_export(SNAPSHOT, APP_SETTINGS, "--check")
    assert checked.returncode == 0, (
        f"{checked.stderr}\nThe generated client changed. If intended, run "
        "MIZAN_UPDATE_SNAPSHOTS=1 uv run pytest tests/codegen/test_command.py"
    )
    assert set(read_dir(SNAPSHOT)) == EXPECTED_FILES


def test_output_is_identical_across_processes_and_hash_seeds(tmp_path):
    runs = {
        (settings, seed): subprocess.Popen(  # started together: each takes seconds to boot
            [
                sys.executable,
                "-m",
                "django",
                "export_client",
                "--out",
                str(tmp_path / f"{settings}-{seed}"),
            ],
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": settings},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for settings in (APP_SETTINGS, "tests.settings")
        for seed in ("1", "4242")
    }
    for process in runs.values():
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    for settings in (APP_SETTINGS, "tests.settings"):
        first = read_dir(tmp_path / f"{settings}-1")
        assert first == read_dir(tmp_path / f"{settings}-4242")
        assert set(first) == EXPECTED_FILES
    assert read_dir(tmp_path / f"{APP_SETTINGS}-1") == read_dir(SNAPSHOT)


def test_check_reports_missing_and_changed_files(tmp_path):
    _, err = export("--out", str(tmp_path))
    assert f"Wrote {len(EXPECTED_FILES)} of {len(EXPECTED_FILES)} files" in err
    _, err = export("--out", str(tmp_path), "--check")
    assert "up to date" in err

    (tmp_path / "api.ts").write_text("// edited by hand\n", encoding="utf-8")
    (tmp_path / "forms.ts").unlink()
    with pytest.raises(CommandError) as raised:
        export("--out", str(tmp_path), "--check")
    assert raised.value.returncode == 1
    assert "api.ts, forms.ts" in str(raised.value)
    assert "export_client --out" in str(raised.value)
    assert (tmp_path / "api.ts").read_text(encoding="utf-8") == "// edited by hand\n"

    _, err = export("--out", str(tmp_path))
    assert "Wrote 2 of" in err  # only what changed is rewritten
    export("--out", str(tmp_path), "--check")


def test_skip_leaves_out_a_binding_and_removes_its_earlier_files(tmp_path):
    export("--out", str(tmp_path))
    (tmp_path / "mine.ts").write_text("// the project's own file\n", encoding="utf-8")
    _, err = export("--out", str(tmp_path), "--skip", "tanstack", "--skip", "documents")
    files = set(read_dir(tmp_path))
    assert files == EXPECTED_FILES - {"tanstack.ts", "tanstack-runtime.ts", "documents.ts"} | {
        "mine.ts"
    }
    package = json.loads((tmp_path / "package.json").read_text(encoding="utf-8"))
    assert set(package["exports"]) == {".", "./react", "./channels", "./forms"}
    assert set(package["peerDependencies"]) == {"graphql-ws", "react", "zod"}
    for name in files:
        text = (tmp_path / name).read_text(encoding="utf-8")
        for package in ("@tanstack/react-query", "@graphql-typed-document-node/core"):
            assert package not in text or name == "README.md", (name, package)
    export("--out", str(tmp_path), "--skip", "tanstack", "--skip", "documents", "--check")
    with pytest.raises(
        CommandError, match="documents.ts, package.json, tanstack-runtime.ts, tanstack.ts"
    ):
        export("--out", str(tmp_path), "--check")
    with pytest.raises(CommandError, match="invalid choice"):
        export("--out", str(tmp_path), "--skip", "apollo")


def test_check_from_the_command_line_exits_non_zero(tmp_path):
    stale = run_export(tmp_path, APP_SETTINGS, "--check")
    assert stale.returncode == 1
    assert "out of date" in stale.stderr and "Traceback" not in stale.stderr


def test_without_out_the_files_go_to_stdout():
    out, _ = export()
    for name in EXPECTED_FILES:
        assert f"// ==> {name} <==\n" in out


def test_usage_errors(tmp_path):
    with pytest.raises(CommandError, match="--check needs --out"):
        export("--check")
    target = tmp_path / "file.ts"
    target.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="is a file; give a directory"):
        export("--out", str(target))


def test_a_broken_registry_is_a_command_error(tmp_path):
    with use_registry():
        client(broken.untyped_param)
        with pytest.raises(CommandError) as raised:
            export("--out", str(tmp_path))
    assert "mizan_gql.E010" in str(raised.value)
    assert "manage.py check" in str(raised.value)
    assert not any(tmp_path.iterdir())


def test_the_client_spells_the_server_close_code_it_does_not_retry():
    from mizan_gql.constants import CLOSE_TOO_BIG

    live = (SNAPSHOT / "live.ts").read_text(encoding="utf-8")
    assert f"const CLOSE_TOO_BIG = {CLOSE_TOO_BIG};" in live
