"""``manage.py export_schema``: deterministic SDL, snapshot, clear failures.

Update the snapshot after an intended schema change with::

    MIZAN_UPDATE_SNAPSHOTS=1 uv run pytest tests/commands/test_export_schema.py
"""

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

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "snapshots" / "schema.graphql"


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_schema", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_manage(*args: str, settings: str = "tests.settings", seed: str = "0"):
    env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": settings}
    return subprocess.Popen(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(process) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=60)
    return process.returncode, out.decode(), err.decode()


def test_sdl_matches_the_snapshot():
    sdl = export()
    if os.environ.get("MIZAN_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(sdl, encoding="utf-8")
    assert sdl == SNAPSHOT.read_text(encoding="utf-8"), (
        "The schema changed. If intended, run "
        "MIZAN_UPDATE_SNAPSHOTS=1 uv run pytest tests/commands/test_export_schema.py"
    )


@pytest.fixture(scope="module")
def command_line():
    """Four `python -m django` runs, started together since each takes seconds to boot."""
    processes = {
        "seed-1": run_manage("export_schema", seed="1"),
        "seed-4242": run_manage("export_schema", seed="4242"),
        "broken-export": run_manage("export_schema", settings="tests.commands.broken_settings"),
        "broken-check": run_manage("check", settings="tests.commands.broken_settings"),
    }
    return {name: finish(process) for name, process in processes.items()}


def test_sdl_is_byte_identical_across_processes_and_hash_seeds(command_line):
    (rc1, out1, err1), (rc2, out2, err2) = command_line["seed-1"], command_line["seed-4242"]
    assert (rc1, rc2) == (0, 0), err1 + err2
    assert out1 == out2 == export()


def test_defaults_and_descriptions_are_in_the_sdl():
    sdl = export()
    assert 'describePerson(person: PersonInput!, greeting: String! = "Hello"): Person!' in sdl
    assert 'defaults(color: Color! = GREEN, mode: String! = "slow", count: Int! = 3' in sdl
    assert '"""A person with addresses."""\ninput PersonInput {' in sdl
    assert "addresses: [AddressInput!]! = []" in sdl
    assert "nothing: Void" in sdl


def test_out_writes_a_file(tmp_path):
    target = tmp_path / "schema.graphql"
    err = StringIO()
    call_command("export_schema", "--out", str(target), stdout=StringIO(), stderr=err)
    assert target.read_text(encoding="utf-8") == export()
    assert str(target) in err.getvalue()


def test_path_is_accepted_like_strawberry_django(tmp_path):
    target = tmp_path / "schema.graphql"
    call_command("export_schema", "--path", str(target), stdout=StringIO(), stderr=StringIO())
    assert target.read_text(encoding="utf-8") == export()


def test_a_dotted_schema_path_exports_that_schema():
    sdl = export("tests.commands.other_schema")
    assert sdl == "type Query {\n  other: String!\n}\n"
    assert export("tests.commands.other_schema:schema") == sdl


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("tests.commands.nowhere", "Cannot import the schema 'tests.commands.nowhere'"),
        ("tests.commands.other_schema:missing", "Cannot import the schema"),
        ("tests.commands.other_schema:Query", "is a type, not a strawberry.Schema"),
    ],
)
def test_a_bad_schema_path_is_a_command_error(path, message):
    with pytest.raises(CommandError, match=message):
        export(path)


def test_a_broken_registry_is_a_command_error():
    with use_registry():
        client(broken.untyped_param)
        with pytest.raises(CommandError) as raised:
            export()
    message = str(raised.value)
    assert "mizan_gql.E010" in message
    assert "`user_id` has no type annotation" in message
    assert "Write `user_id: str`" in message
    assert "manage.py check" in message


def test_broken_project_fails_cleanly_from_the_command_line(command_line):
    rc_export, out, err_export = command_line["broken-export"]
    rc_check, _, err_check = command_line["broken-check"]
    assert rc_export != 0 and out == ""
    # The command's system checks (or the command itself) name the function and the fix.
    assert "mizan_gql.E010" in err_export
    assert "tests.commands.broken_app.mizan_clients.broken_lookup" in err_export
    assert rc_check != 0
    assert "mizan_gql.E010" in err_check and "broken_lookup" in err_check
    assert "Traceback" not in err_export + err_check
