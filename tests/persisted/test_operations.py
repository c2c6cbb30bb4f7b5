"""Generated operations: complete selections, valid documents, deterministic export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from graphql import parse, specified_rules, validate
from strawberry.extensions import QueryDepthLimiter

from mizan_gql import get_schema
from mizan_gql.conf import mizan_settings
from mizan_gql.persisted import document_hash, operations_for
from mizan_gql.registry import Options, Registry, get_registry, use_registry
from tests.persisted_app import mizan_clients

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "snapshots" / "persisted_queries.json"


def test_every_generated_document_is_valid_within_the_limits():
    schema = get_schema()
    rules = [
        *specified_rules,
        *QueryDepthLimiter(max_depth=mizan_settings.MAX_DEPTH).validation_rules,
    ]
    operations = operations_for(schema)
    assert operations.fields and operations.contexts
    for operation in [*operations.fields.values(), *operations.contexts.values()]:
        assert validate(schema._schema, parse(operation.document), rules) == [], operation.name
        assert operation.sha256 == document_hash(operation.document)


def test_documents_select_every_field_recursively_with_a_cycle_guard():
    operations = operations_for(get_schema())
    # A recursive type is not expanded inside itself: its own fields, not its children.
    assert operations.fields["pqTree"].document == (
        "query PqTree($depth: Int) {\n  pqTree(depth: $depth) {\n    label\n  }\n}"
    )
    # strawberry-django relations: Author.books -> Book (its author would loop back).
    authors = operations.fields["authors"].document
    assert "books {\n      id\n      title\n    }" in authors
    assert "author" not in authors.split("books", 1)[1]


def test_context_operation_fetches_every_function_of_the_context():
    operation = operations_for(get_schema()).contexts["pq_user"]
    assert operation.name == "PqUserContext"
    assert operation.fields == ("pqProfile", "pqStats")
    assert operation.document.startswith("query PqUserContext($userId: Int!) {")
    assert "pqProfile(userId: $userId) {" in operation.document
    assert "pqStats(userId: $userId) {" in operation.document


def _snapshot_registry() -> Registry:
    """The persisted_app functions alone, so the snapshot does not follow other areas."""
    registry = Registry()
    source = get_registry()
    for entry in source.functions:
        if entry.func.__module__ == mizan_clients.__name__:
            registry.add(entry.func, entry.name, entry.options)
    return registry


def test_export_matches_the_snapshot():
    with (
        override_settings(MIZAN={"AUTODISCOVER": False}),
        use_registry(_snapshot_registry()),
    ):
        out = StringIO()
        call_command("export_persisted_queries", stdout=out)
    text = out.getvalue()
    if os.environ.get("MIZAN_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8"), (
        "The generated operations changed; review and run with MIZAN_UPDATE_SNAPSHOTS=1."
    )
    data = json.loads(text)
    assert set(data) == {"contexts", "operations", "version"}
    for section in ("contexts", "operations"):
        for operation in data[section].values():
            assert operation["sha256"] == document_hash(operation["document"])


def test_export_writes_a_file(tmp_path):
    target = tmp_path / "pq.json"
    err = StringIO()
    call_command("export_persisted_queries", out=str(target), stderr=err)
    out = StringIO()
    call_command("export_persisted_queries", stdout=out)
    assert target.read_text(encoding="utf-8") == out.getvalue()
    assert str(target) in err.getvalue()


def test_export_is_byte_identical_across_processes_and_hash_seeds():
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "tests.settings"}
        result = subprocess.run(
            [sys.executable, "-m", "django", "export_persisted_queries"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert b'"pq_user"' in outputs.pop()


def test_export_fails_clearly_on_a_broken_registry():
    from django.core.management.base import CommandError

    def no_annotations(request, x):  # neither parameter nor return annotated
        return x

    registry = Registry()
    registry.add(no_annotations, "no_annotations", Options())
    with (
        override_settings(MIZAN={"AUTODISCOVER": False}),
        use_registry(registry),
        pytest.raises(CommandError, match="no_annotations"),
    ):
        call_command("export_persisted_queries", stdout=StringIO())
