"""Every private name mizan_gql relies on is listed in the engine adapter and still exists.

An upgrade of Strawberry, strawberry-django, graphql-core, Channels or Django that renames
or removes one of them fails here, naming the entry and what mizan_gql uses it for, instead
of failing a request. And no module outside ``mizan_gql.schema.engine`` reaches a private
name of a dependency on its own.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import strawberry

from mizan_gql.schema.engine.private import (
    PRIVATE_NAMES,
    PrivateName,
    graphql_schema,
    is_basic_resolver,
    parameters_of,
)

PACKAGE = Path(__file__).resolve().parents[2] / "mizan_gql"
ENGINE = PACKAGE / "schema" / "engine"
DEPENDENCIES = ("strawberry", "strawberry_django", "graphql", "django", "channels")
DISTRIBUTIONS = {
    "strawberry": "strawberry-graphql",
    "graphql": "graphql-core",
    "django": "django",
    "channels": "channels",
    "asgiref": "asgiref",
}
# Django documents these despite the underscore (the Model _meta API, default and base
# managers, a model instance's _state.adding and _state.db).
DOCUMENTED_UNDERSCORE = {"_meta", "_default_manager", "_base_manager", "_state"}


def owner_of(path: str) -> Any:
    """The module or class a dotted path names (``pkg.module.Class``)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(path)


def release(entry: PrivateName) -> str:
    distribution = DISTRIBUTIONS[entry.owner.split(".")[0]]
    return f"{distribution} {version(distribution)}"


def has_instance_attribute(owner: type, name: str) -> bool:
    """Set on instances: a slot, an annotation, or ``self.<name> =`` in the class's code."""
    if hasattr(owner, name):
        return True
    for cls in owner.__mro__:
        if name in getattr(cls, "__annotations__", {}):
            return True
        try:
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            continue
        if re.search(rf"self\.{re.escape(name)}\s*(:[^=]*)?=", source):
            return True
    return False


# Entries of one graphql-core minor only (3.2, which graphene-django 3 needs, or 3.3) are
# checked where that release is installed: .ci/run's "graphene" environment has 3.2.
IN_USE = [entry for entry in PRIVATE_NAMES if entry.in_use]


@pytest.mark.parametrize("entry", IN_USE, ids=lambda e: f"{e.owner}.{e.name}")
def test_the_private_name_is_still_there(entry: PrivateName) -> None:
    where = (
        f"{entry.owner}.{entry.name} ({entry.use}) is gone or changed in {release(entry)}: "
        "adapt mizan_gql/schema/engine before allowing this release in pyproject.toml"
    )
    owner = owner_of(entry.owner)
    if entry.on_instances:
        assert has_instance_attribute(owner, entry.name), where
        return
    assert hasattr(owner, entry.name), where
    if entry.parameters:
        missing = set(entry.parameters) - set(parameters_of(getattr(owner, entry.name)))
        assert not missing, f"{where}: no parameter {', '.join(sorted(missing))}"


def test_entries_of_one_graphql_core_name_a_release_ci_installs() -> None:
    assert {entry.graphql_core for entry in PRIVATE_NAMES} <= {"", "3.2", "3.3"}
    installed = "3.2" if version("graphql-core").startswith("3.2.") else "3.3"
    of_every_strawberry = [e for e in PRIVATE_NAMES if not e.strawberry]
    assert all(e.in_use == (e.graphql_core in ("", installed)) for e in of_every_strawberry)


def test_entries_of_newer_strawberry_releases_are_checked_from_that_release_on() -> None:
    installed = tuple(int(part) for part in version("strawberry-graphql").split(".")[:2])
    newer = [e for e in PRIVATE_NAMES if e.strawberry]
    assert newer  # the consumer's listen_to_channel() state since 0.341
    for entry in newer:
        since = tuple(int(part) for part in entry.strawberry.split("."))
        assert entry.in_use == (installed >= since), entry


def private_uses(path: Path) -> list[str]:
    """Imports of private modules or names of a dependency, and ``obj._name`` accesses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in DEPENDENCIES and (
                any(part.startswith("_") for part in node.module.split("."))
                or any(alias.name.startswith("_") for alias in node.names)
            ):
                found.append(f"{path.name}:{node.lineno} imports from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            owner = node.value
            if node.attr.startswith("__") or node.attr in DOCUMENTED_UNDERSCORE:
                continue
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            found.append(f"{path.name}:{node.lineno} uses {ast.unparse(node)}")
    return found


def test_only_the_engine_adapter_uses_private_names() -> None:
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if ENGINE not in p.parents]
    uses = [use for path in outside for use in private_uses(path)]
    assert not uses, (
        "Private names of dependencies belong in mizan_gql/schema/engine (listed in "
        f"private.PRIVATE_NAMES): {uses}"
    )


def test_the_scan_finds_a_private_use(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from strawberry.schema._graphql_core import x\n"
        "from strawberry.schema.schema import _coerce_error\n"
        "schema._schema\n"
        "self._ours\n"
        "model._meta\n"
    )
    assert [use.split(" ", 1)[1] for use in private_uses(probe)] == [
        "imports from strawberry.schema._graphql_core",
        "imports from strawberry.schema.schema",
        "uses schema._schema",
    ]


@strawberry.type
class Point:
    x: int

    @strawberry.field
    def doubled(self) -> int:
        return self.x * 2


@strawberry.type
class PointQuery:
    point: Point


def test_strawberrys_basic_field_resolver_is_recognised() -> None:
    """Compiled queries read a basic field as Strawberry's resolver does, recognising that
    resolver by its name (private.BASIC_RESOLVER_NAME); a release that renames it would
    only make every query fall back to graphql-core, and fails here instead."""
    point = graphql_schema(strawberry.Schema(query=PointQuery)).get_type("Point")
    assert is_basic_resolver(point.fields["x"].resolve)  # type: ignore[union-attr]
    assert not is_basic_resolver(point.fields["doubled"].resolve)  # type: ignore[union-attr]
