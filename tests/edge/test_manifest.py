"""The edge manifest of the edge test project, computed in fresh processes like a deploy would.

The manifest is an artifact that is committed and shipped to the edge, so it must be the
same bytes whatever the process, hash seed or app order (tests/snapshots/edge_manifest.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "snapshots" / "edge_manifest.json"


def run(*args: str, env: dict[str, str] | None = None, check: bool = True):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.edge_app.settings",
        "EDGE_TEST_BASE_URL": "",
        "EDGE_TEST_PURGE": "",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def export(*args: str, **env: str) -> str:
    return run("-m", "django", "export_edge_manifest", *args, env=env).stdout


def call(expression: str, **env: str):
    """Evaluate ``expression`` in a fresh process of the edge test project; JSON result."""
    code = (
        "import json, django; django.setup()\n"
        "from mizan_gql import generate_edge_manifest\n"
        f"print(json.dumps({expression}))"
    )
    return json.loads(run("-c", code, env=env).stdout)


def test_the_manifest_matches_the_snapshot():
    assert export() == SNAPSHOT.read_text(encoding="utf-8"), (
        "The edge manifest changed; if that is intended, regenerate the snapshot with "
        "DJANGO_SETTINGS_MODULE=tests.edge_app.settings python -m django "
        "export_edge_manifest --out tests/snapshots/edge_manifest.json"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONHASHSEED": "0"},
        {"PYTHONHASHSEED": "4242"},
        {"PYTHONHASHSEED": "random"},
        {"PYTHONHASHSEED": "1", "EDGE_TEST_APP_ORDER": "reversed"},
    ],
)
def test_the_manifest_is_byte_identical_across_processes_seeds_and_app_orders(env):
    assert export(**env) == SNAPSHOT.read_text(encoding="utf-8")


def test_the_seed_fields_of_spec_section_7():
    manifest = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    user = manifest["contexts"]["user"]
    assert {k: user[k] for k in ("functions", "endpoints", "params", "views")} == {
        "functions": [
            {"name": "user_profile", "path": "rpc"},
            {"name": "profile_page", "path": "view"},
        ],
        "endpoints": ["/graphql/ctx/user/"],
        "params": ["user_id"],
        "views": ["/profile/:user_id/"],
    }
    assert user["cache"] == "public" and user["ttl"] == 600
    assert user["tags"] == ["ctx:user", "ctx:user:user_id={user_id}"]
    assert user["operation"]["name"] == "UserContext"
    assert manifest["contexts"]["current_visitor"]["cache"] == "private"
    # From path converters (str, slug, int; through an include), regexes with named groups
    # (alone and under an include), and MIZAN["VIEW_URLS"].
    assert manifest["contexts"]["catalog"]["views"] == [
        "/archive/:category/:page/",
        "/archive/:category/p:page.html",
        "/c/:category/:page/",
        "/feed/?category=:category&page=:page",
        "/shop/:category/page-:page.html",
    ]
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert str(ROOT) not in text and "tests.edge_app" not in text


def test_the_operation_hash_is_the_exported_persisted_operation():
    persisted = json.loads(run("-m", "django", "export_persisted_queries").stdout)
    manifest = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for name, spec in manifest["contexts"].items():
        assert spec["operation"]["sha256"] == persisted["contexts"][name]["sha256"]
        assert spec["operation"]["name"] == persisted["contexts"][name]["name"]


def test_base_url_and_view_url_overrides():
    result = call(
        'generate_edge_manifest(view_urls={"profile_page": ["/p/:user_id/", "/people/:user_id"]},'
        ' base_url="https://example.com/")["contexts"]["user"]'
    )
    assert result["views"] == [
        "https://example.com/p/:user_id/",
        "https://example.com/people/:user_id",
    ]
    assert result["endpoints"] == ["https://example.com/graphql/ctx/user/"]
    from_setting = call(
        'generate_edge_manifest()["base_url"]', EDGE_TEST_BASE_URL="http://cdn.test"
    )
    assert from_setting == "http://cdn.test"


def test_the_command_writes_files_and_takes_a_base_url(tmp_path):
    out = tmp_path / "edge.json"
    result = run(
        "-m", "django", "export_edge_manifest", "--out", str(out), "--base-url", "https://e.test"
    )
    assert result.stdout == "" and f"Wrote {out}" in result.stderr
    manifest = json.loads(out.read_text(encoding="utf-8"))
    assert manifest["base_url"] == "https://e.test"
    assert manifest["contexts"]["user"]["views"] == ["https://e.test/profile/:user_id/"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base-url", "example.com"], "is not an absolute origin"),
        (["--out", "/nonexistent-dir/edge.json"], "Cannot write /nonexistent-dir/edge.json"),
        (["--format", "vcl", "--backend", "localhost"], "must be host:port"),
    ],
)
def test_command_errors_are_clear(args, message):
    result = run("-m", "django", "export_edge_manifest", *args, check=False)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_broken_registry_fails_the_command(tmp_path):
    # A public context whose function requires auth is a registry error (SPEC §3).
    (tmp_path / "broken_clients.py").write_text(
        "from mizan_gql import client\n"
        "@client(context='secret', cache='public', auth=True)\n"
        "def secret_profile(request, user_id: int) -> str:\n"
        "    return ''\n"
    )
    code = (
        "import django; django.setup()\n"
        "import broken_clients\n"
        "from django.core.management import call_command\n"
        "call_command('export_edge_manifest')\n"
    )
    result = run("-c", code, env={"PYTHONPATH": str(tmp_path)}, check=False)
    assert result.returncode != 0
    assert "secret_profile" in result.stderr


def test_vcl_output_is_deterministic():
    first = export("--format", "vcl", "--backend", "127.0.0.1:8000", PYTHONHASHSEED="1")
    second = export("--format", "vcl", "--backend", "127.0.0.1:8000", PYTHONHASHSEED="2")
    assert first == second
    assert first.startswith("vcl 4.1;\n")
    assert '.port = "8000";' in first and "xkey.purge" in first
