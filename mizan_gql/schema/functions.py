"""The functions feature: registered server functions as root fields, with error codes.

The first feature of every schema (``order`` 20, after the persisted queries): it turns the
registry's functions into queries and mutations and codes every error (``ErrorCodes``).
"""

from __future__ import annotations

from typing import Any

from ..exceptions import Problem, SchemaBuildError
from ..plugins import Plugin
from ..registry.core import SchemaContributor
from ..registry.entry import ClientFunction
from .engine.private import graphql_schema
from .errors import ErrorCodes
from .fields import InvalidDefault, build_field, install_direct_resolvers
from .types import TypeNameCollision, UnsupportedType, collision_problem, show_annotation

__all__ = ["FUNCTIONS", "FunctionFields"]

TYPES_HINT = (
    "Use str, int, float, bool, Decimal, date, datetime, time, UUID, an Enum, a Literal, "
    "list[...], X | None, dict (JSON), a pydantic model or a Strawberry type."
)


class FunctionFields(SchemaContributor):
    """The registry's functions as fields; every function is converted, so that
    ``manage.py check`` reports all their problems at once."""

    def __init__(self) -> None:
        self.queries: dict[str, Any] = {}
        self.mutations: dict[str, Any] = {}
        self.built: list[tuple[ClientFunction, Any]] = []

    def bind(self, build: Any) -> None:
        problems: list[Problem] = []
        for entry in build.registry.functions:
            if entry.problems:
                continue  # its signature could not be read; already reported
            try:
                field = build_field(entry, build.converter, build.call_wrappers)
            except UnsupportedType as exc:
                problems.append(
                    Problem(
                        "mizan_gql.E012",
                        f"{exc.where}: {show_annotation(exc.annotation)} is not a supported "
                        f"type{exc.reason}.",
                        TYPES_HINT,
                        entry.func,
                    )
                )
                continue
            except TypeNameCollision as exc:
                problems.append(collision_problem(exc, entry.func))
                continue
            except Exception as exc:  # e.g. a default GraphQL cannot represent
                problems.append(_field_problem(entry, exc))
                continue
            (self.mutations if entry.is_mutation else self.queries)[entry.name] = field
            self.built.append((entry, field))
        if problems:
            raise SchemaBuildError(problems)

    def query_fields(self) -> dict[str, Any]:
        return self.queries

    def mutation_fields(self) -> dict[str, Any]:
        return self.mutations

    def finish(self, schema: Any) -> None:
        # Performance: simple functions' fields skip Strawberry's per-call resolver wrapper.
        install_direct_resolvers(graphql_schema(schema), self.built)


def _field_problem(entry: ClientFunction, exc: Exception) -> Problem:
    reason = str(exc) if isinstance(exc, InvalidDefault) else f"{type(exc).__name__}: {exc}"
    return Problem(
        "mizan_gql.E019",
        f"Server function {entry.qualname!r} (registered as {entry.name!r}) cannot become a "
        f"GraphQL field: {reason}.",
        "Check the parameter types and defaults; defaults must be JSON-like values of the "
        "parameter's type.",
        entry.func,
    )


# Server functions: their fields and the error codes of every operation. (The registry's
# check, like the settings', is mizan_gql's own: MizanGqlConfig.ready() registers it.)
FUNCTIONS = Plugin(
    name="functions", order=20, extensions=[ErrorCodes], contributors=[FunctionFields]
)
