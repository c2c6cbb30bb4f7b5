"""A third-party app extends mizan_gql with a plugin (tests/plugin_app, docs/architecture.md).

In process, ``use_plugins`` adds the plugin for a test; in a daphne process started with
the app installed, the app's ``ready()`` registers it like mizan_gql's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from mizan_gql.plugins import get_plugins, use_plugins
from mizan_gql.schema import MizanSchema
from tests.plugin_app.plugin import AUDIT, AUDIT_PLUGIN
from tests.support.servers import ROOT, ServerProcess, asgi_server, server_env

pytestmark = pytest.mark.django_db(transaction=True)

ECHO = 'query Echo { echo(text: "hi") { message } }'


@pytest.fixture
def audit() -> Iterator[list[str]]:
    AUDIT.clear()
    with use_plugins(AUDIT_PLUGIN):
        yield AUDIT
    AUDIT.clear()


@pytest.fixture
def strawberry_path(monkeypatch) -> list[str]:
    """The operations Strawberry's own path ran (the others were prepared queries)."""
    ran: list[str] = []
    execute = MizanSchema.execute

    async def counting(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        ran.append(query)
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(MizanSchema, "execute", counting)
    return ran


async def test_its_extension_runs_on_both_paths(gql, audit, strawberry_path):
    document = f"# {uuid.uuid4().hex}\n{ECHO}"
    answers = [await gql.execute(document) for _ in range(2)]
    assert (
        answers
        == [{"data": {"echo": {"message": "hi"}}, "extensions": {"audit": {"operation": "Echo"}}}]
        * 2
    )
    assert strawberry_path == [document]  # the second one was a prepared query


async def test_its_fields_and_call_wrappers_reach_the_schema(gql, audit):
    assert await gql.execute("{ auditLog }") == {
        "data": {"auditLog": []},
        "extensions": {"audit": {"operation": None}},
    }
    added = await gql.execute('mutation { addAuthor(name: "Ann") { name } }')
    assert added["data"] == {"addAuthor": {"name": "Ann"}}
    await gql.execute(ECHO)  # a query: not audited
    assert (await gql.execute("{ auditLog }"))["data"] == {"auditLog": ["add_author(name='Ann')"]}


async def test_the_plugin_goes_with_the_block(gql, audit):
    assert any(p is AUDIT_PLUGIN for p in get_plugins())
    with use_plugins():
        pass
    assert any(p is AUDIT_PLUGIN for p in get_plugins())


async def test_without_the_plugin_its_parts_are_gone(gql):
    assert not any(p is AUDIT_PLUGIN for p in get_plugins())
    body = json.loads((await gql.post("{ auditLog }")).content)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "extensions" not in (await gql.execute(ECHO))


@pytest.fixture(scope="module")
def audited_server() -> Iterator[ServerProcess]:
    with asgi_server("tests.asgi:application", settings="tests.plugin_app.settings") as server:
        yield server


def request(server: ServerProcess, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    with urllib.request.urlopen(
        urllib.request.Request(f"{server.url}{path}", data=data, headers=headers), timeout=30
    ) as response:
        return json.loads(response.read())


def test_an_app_registers_it_from_ready(audited_server):
    rename = {"query": 'mutation { auditedRename(name: "x") }'}
    renamed = request(audited_server, "/graphql", rename)
    assert renamed == {
        "data": {"auditedRename": "X"},
        "extensions": {"audit": {"operation": None}},
    }
    assert request(audited_server, "/graphql", {"query": "{ auditLog }"})["data"] == {
        "auditLog": ["audited_rename(name='x')"]
    }
    # Its URL pattern, under the project's include("mizan_gql.urls").
    assert request(audited_server, "/graphql/audit/") == {"audit": ["audited_rename(name='x')"]}


def test_its_checks_run_with_manage_py_check():
    run = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=server_env("tests.plugin_app.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "(plugin_app.W001) AUDIT_RETENTION_DAYS is 0: the audit log keeps nothing." in (
        run.stdout + run.stderr
    )
