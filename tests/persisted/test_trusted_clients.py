"""Trusted mode with the clients React teams use, in Node, against a live server (daphne).

The manifests are written by the real tools: Apollo's ``generate-persisted-query-manifest``
CLI over a document the team wrote, GraphQL Code Generator's CLI with the client preset
(``persistedDocuments: true``) over two more; the server trusts both
(``MIZAN["TRUSTED_DOCUMENTS"]``) besides its generated operations. Then
tests/ts-clients/runtime/trusted.test.mjs runs Apollo Client 3 and 4 (default options, the
persisted-query link, a persisted query list), urql with its persisted exchange, the
preset's ids and GraphQL-over-HTTP ``documentId`` requests over GET and POST.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import asgi_server

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "tests" / "ts-clients"
SETTINGS = "tests.codegen_app.trusted_settings"
PACKAGES = (
    "@apollo/client",
    "@apollo/client-3",
    "@apollo/generate-persisted-query-manifest",
    "@apollo/persisted-query-lists",
    "@graphql-codegen/cli",
    "@graphql-codegen/client-preset",
    "@urql/core",
    "@urql/exchange-persisted",
    "graphql",
)
TIMEOUT = 240


def require_clients() -> None:
    """Skip without Node or tests/ts-clients' packages, except under CI=true."""
    missing = [] if shutil.which("node") else ["node is not installed"]
    missing += [
        f"tests/ts-clients/node_modules/{package} is missing"
        for package in PACKAGES
        if not (CLIENTS / "node_modules" / package).is_dir()
    ]
    if not missing:
        return
    reason = "; ".join(missing) + " (bash .ci/setup installs them)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def run(*args: str | Path, cwd: Path = CLIENTS, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def manage(*args: str | Path) -> str:
    return run(
        sys.executable,
        "-m",
        "django",
        *args,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.codegen_app.settings"},
    )


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A private directory under tests/ts-clients (Node finds its node_modules from there)."""
    path = CLIENTS / "work" / f"run-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def apollo_manifest(workdir: Path) -> Path:
    """Apollo's CLI over the team's document (tests/ts-clients/documents/team)."""
    output = workdir / "apollo-manifest.json"
    config = workdir / "persisted-query-manifest.config.json"
    documents = (CLIENTS / "documents" / "team" / "*.graphql").as_posix()
    config.write_text(json.dumps({"documents": [documents], "output": str(output)}))
    run(CLIENTS / "node_modules" / ".bin" / "generate-persisted-query-manifest", "--config", config)
    return output


def codegen_manifest(workdir: Path) -> Path:
    """GraphQL Code Generator's client preset over tests/ts-clients/documents/codegen."""
    schema = workdir / "schema.graphql"
    manage("export_schema", "--out", schema)
    generated = workdir / "gql"
    config = workdir / "codegen.json"
    config.write_text(
        json.dumps(
            {
                "schema": str(schema),
                "documents": (CLIENTS / "documents" / "codegen" / "*.ts").as_posix(),
                "generates": {
                    f"{generated}/": {
                        "preset": "client",
                        "presetConfig": {"persistedDocuments": True},
                    }
                },
            }
        )
    )
    run(CLIENTS / "node_modules" / ".bin" / "graphql-codegen", "--config", config)
    return generated / "persisted-documents.json"


def test_apollo_urql_and_codegen_clients_in_trusted_mode(workdir, tmp_path):
    require_clients()
    apollo = apollo_manifest(workdir)
    codegen = codegen_manifest(workdir)
    exported = workdir / "mizan.json"
    manage("export_persisted_queries", "--out", exported)
    # The preset's format, as the server reads it: {"<sha1>": "<document>"}.
    preset = json.loads(codegen.read_text())
    assert len(preset) == 2 and all(re.fullmatch(r"[0-9a-f]{40}", key) for key in preset)

    env = {"MIZAN_TEST_TRUSTED_DOCUMENTS": os.pathsep.join([str(apollo), str(codegen)])}
    app = "tests.codegen_app.asgi:application"
    with asgi_server(app, SETTINGS, env=env, log=tmp_path / "daphne.log", timeout=60) as server:
        output = run(
            "node",
            "--no-warnings",
            "--test",
            "--test-timeout=30000",
            "runtime/trusted.test.mjs",
            env={
                "MIZAN_URL": server.url,
                "MIZAN_EXPORT": str(exported),
                "TEAM_DOCUMENT": str(CLIENTS / "documents" / "team" / "greeting.graphql"),
                "APOLLO_MANIFEST": str(apollo),
                "CODEGEN_MANIFEST": str(codegen),
            },
        )
    written = (CLIENTS / "runtime" / "trusted.test.mjs").read_text()
    # Seven tests per Apollo Client version, two per documentId method, urql and the preset.
    expected = 7 * 2 + 2 * 2 + 2
    assert len(re.findall(r"^\s*test\(", written, flags=re.M)) == 11
    assert "# fail 0" in output and f"# pass {expected}\n" in output, output
