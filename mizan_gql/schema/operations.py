"""Generated operations: one named document per root field and one per context.

These documents are the server's own: known without registration, exported by
``manage.py export_persisted_queries``, run by ``/graphql/ctx/<context>/`` and hydration,
typed by the generated client and the only documents the ``trusted`` mode accepts. They
are derived from the built schema, so they always validate against it, and are computed
once per schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    is_non_null_type,
    parse,
    print_ast,
)
from graphql.pyutils import Undefined
from strawberry.utils.str_converters import capitalize_first, to_camel_case

from ..conf import mizan_settings
from ..registry.entry import ClientFunction
from .engine.private import graphql_schema as graphql_schema_of
from .hashing import document_hash
from .selection import DEFAULT_MAX_DEPTH, select_all

__all__ = ["Operation", "OperationSet", "context_field_name", "operations_for"]

OperationKind = Literal["query", "mutation", "subscription"]


@dataclass(frozen=True)
class Operation:
    """One generated document and what it runs."""

    name: str
    kind: OperationKind
    document: str
    sha256: str
    fields: tuple[str, ...]
    variables: tuple[str, ...]
    context: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.kind,
            "fields": list(self.fields),
            "variables": list(self.variables),
            "sha256": self.sha256,
            "document": self.document,
        }
        if self.context is not None:
            data["context"] = self.context
        return data


@dataclass(frozen=True)
class OperationSet:
    """Every generated operation of a schema, by root field, by context and by hash."""

    fields: dict[str, Operation]
    contexts: dict[str, Operation]
    by_hash: dict[str, Operation]

    def as_json(self) -> dict[str, Any]:
        return {
            "operations": {name: op.as_json() for name, op in sorted(self.fields.items())},
            "contexts": {name: op.as_json() for name, op in sorted(self.contexts.items())},
        }


def operations_for(schema: Any) -> OperationSet:
    """The generated operations of a mizan schema, computed once and kept on it."""
    return schema.derived("operations", lambda: _generate(schema))  # type: ignore[no-any-return]


def _generate(schema: Any) -> OperationSet:
    graphql_schema = graphql_schema_of(schema)
    max_depth = max(1, min(DEFAULT_MAX_DEPTH, mizan_settings.MAX_DEPTH - 1))
    fields: dict[str, Operation] = {}
    roots: list[tuple[OperationKind, GraphQLObjectType | None]] = [
        ("query", graphql_schema.query_type),
        ("mutation", graphql_schema.mutation_type),
        ("subscription", graphql_schema.subscription_type),
    ]
    for kind, root in roots:
        if root is None:
            continue
        for field_name in sorted(root.fields):
            fields[field_name] = _operation(
                graphql_schema,
                kind,
                capitalize_first(field_name),
                root,
                [field_name],
                max_depth,
            )
    contexts: dict[str, Operation] = {}
    registry = getattr(schema, "mizan_registry", None)
    if registry is not None and graphql_schema.query_type is not None:
        for context, entries in registry.contexts().items():
            contexts[context] = _operation(
                graphql_schema,
                "query",
                capitalize_first(to_camel_case(context)) + "Context",
                graphql_schema.query_type,
                [context_field_name(e) for e in entries],
                max_depth,
                context=context,
            )
    by_hash = {op.sha256: op for op in (*fields.values(), *contexts.values())}
    return OperationSet(fields=fields, contexts=contexts, by_hash=by_hash)


def context_field_name(entry: ClientFunction) -> str:
    """The root field (and response key) of a context function."""
    return to_camel_case(entry.name)


def _operation(
    graphql_schema: Any,
    kind: OperationKind,
    name: str,
    root: GraphQLObjectType,
    field_names: list[str],
    max_depth: int,
    context: str | None = None,
) -> Operation:
    variables: dict[str, str] = {}
    selections = []
    for field_name in field_names:
        field: GraphQLField = root.fields[field_name]
        arguments = []
        for arg_name, arg in field.args.items():
            declared = _variable_type(arg)
            # A variable shared by several fields of a context must satisfy all of them.
            current = variables.get(arg_name)
            if current is None or (declared.endswith("!") and not current.endswith("!")):
                variables[arg_name] = declared
            arguments.append(f"{arg_name}: ${arg_name}")
        call = f"{field_name}({', '.join(arguments)})" if arguments else field_name
        selections.append(f"{call} {select_all(graphql_schema, field.type, max_depth)}".strip())
    declared_vars = ", ".join(f"${n}: {t}" for n, t in variables.items())
    header = f"{kind} {name}" + (f"({declared_vars})" if declared_vars else "")
    text = print_ast(parse(f"{header} {{ {' '.join(selections)} }}"))
    return Operation(
        name=name,
        kind=kind,
        document=text,
        sha256=document_hash(text),
        fields=tuple(field_names),
        variables=tuple(variables),
        context=context,
    )


def _variable_type(arg: GraphQLArgument) -> str:
    """A defaulted argument takes a nullable variable so that omitting it uses the default."""
    if arg.default_value is not Undefined and is_non_null_type(arg.type):
        assert isinstance(arg.type, GraphQLNonNull)
        return str(arg.type.of_type)
    return str(arg.type)
