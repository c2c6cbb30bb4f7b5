"""Completion of a compiled query's values, as graphql-core's executor completes them.

:mod:`mizan_gql.schema.engine.compiled` builds one closure per field type of an operation:
:func:`completer` does what graphql-core's ``complete_value`` does for that type (non-null,
list, leaf, and object types mizan made of pydantic models), with the same messages, errors
located at the same paths (:class:`Errors`, like its ``handle_field_error`` and
``CollectedErrors``), null propagated to the nearest nullable parent and sibling fields cut
short where graphql-core stops. A type it cannot complete raises :class:`Uncompilable`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    located_error,
)
from graphql.pyutils import Path, Undefined, inspect, is_iterable

from .private import is_basic_resolver

__all__ = [
    "DEFINITION",
    "Complete",
    "Errors",
    "Uncompilable",
    "completer",
    "grouped",
    "sub_grouped",
]

DEFINITION = "strawberry-definition"  # where Strawberry keeps a type's or field's definition

# (value, path, errors) -> the completed value; raises what graphql-core's complete_value
# would raise (an error of a non-null position, not yet located).
Complete = Callable[[Any, Path, "Errors"], Any]


class Errors:
    """The field errors of one execution, as graphql-core's ``CollectedErrors`` keeps them:
    an error under a position already nulled by another error is dropped."""

    __slots__ = ("errors", "positions")

    def __init__(self) -> None:
        self.errors: list[GraphQLError] = []
        self.positions: set[Path | None] = set()

    def add(self, error: GraphQLError, path: Path | None) -> None:
        position = path
        while position is not None:
            if position in self.positions:
                return
            position = position.prev
        self.positions.add(path)
        self.errors.append(error)

    def handle(self, raw: Exception, return_type: Any, nodes: list[FieldNode], path: Path) -> None:
        """graphql-core's ``handle_field_error``: raise for a non-null position, else keep."""
        error = located_error(raw, nodes, path.as_list())
        if isinstance(return_type, GraphQLNonNull):
            raise error
        self.add(error, path)


class Uncompilable(Exception):
    """The operation has something the compiled path does not run (graphql-core does)."""


def grouped(parent: Any) -> dict[str, list[FieldNode]]:
    """Fields of a selection set by response name, in order (graphql-core's collect_fields,
    for selection sets without fragments or directives)."""
    fields: dict[str, list[FieldNode]] = {}
    for selection in parent.selection_set.selections:
        assert isinstance(selection, FieldNode)
        key = selection.alias.value if selection.alias else selection.name.value
        fields.setdefault(key, []).append(selection)
    return fields


def sub_grouped(nodes: list[FieldNode]) -> dict[str, list[FieldNode]]:
    fields: dict[str, list[FieldNode]] = {}
    for node in nodes:
        for key, sub in grouped(node).items():
            fields.setdefault(key, []).extend(sub)
    return fields


def completer(
    schema: GraphQLSchema,
    type_: GraphQLOutputType,
    parent: str,
    field: str,
    nodes: list[FieldNode],
) -> Complete:
    """What graphql-core's ``complete_value`` does for ``type_``, as a closure."""
    if isinstance(type_, GraphQLNonNull):
        inner = completer(schema, type_.of_type, parent, field, nodes)
        null_message = f"Cannot return null for non-nullable field {parent}.{field}."

        def complete_non_null(value: Any, path: Path, errors: Errors) -> Any:
            if isinstance(value, Exception):
                raise value
            completed = inner(value, path, errors)
            if completed is None:
                raise TypeError(null_message)
            return completed

        return complete_non_null
    if isinstance(type_, GraphQLList):
        item_type = type_.of_type
        item = completer(schema, item_type, parent, field, nodes)
        not_iterable = f"Expected Iterable, but did not find one for field '{parent}.{field}'."

        def complete_list(value: Any, path: Path, errors: Errors) -> Any:
            if isinstance(value, Exception):
                raise value
            if value is None or value is Undefined:
                return None
            if not is_iterable(value):
                raise GraphQLError(not_iterable)
            completed = []
            for index, entry in enumerate(value):
                item_path = Path(path, index, None)
                try:
                    completed.append(item(entry, item_path, errors))
                except Exception as raw:
                    errors.handle(raw, item_type, nodes, item_path)
                    completed.append(None)
            return completed

        return complete_list
    if isinstance(type_, GraphQLLeafType):
        coerce = type_.coerce_output_value

        def complete_leaf(value: Any, path: Path, errors: Errors) -> Any:
            if isinstance(value, Exception):
                raise value
            if value is None or value is Undefined:
                return None
            coerced = coerce(value)
            if coerced is Undefined or coerced is None:
                raise TypeError(
                    f"Expected `{inspect(type_)}.coerce_output_value({inspect(value)})` to "
                    f"return non-nullable value, returned: {inspect(coerced)}"
                )
            return coerced

        return complete_leaf
    if isinstance(type_, GraphQLObjectType) and _is_model_type(type_):
        return _object_completer(schema, type_, nodes)
    raise Uncompilable(str(type_))


def _is_model_type(type_: GraphQLObjectType) -> bool:
    definition = type_.extensions.get(DEFINITION)
    origin = getattr(definition, "origin", None)
    return type_.is_type_of is None and getattr(origin, "mizan_model", None) is not None


def _object_completer(
    schema: GraphQLSchema, type_: GraphQLObjectType, nodes: list[FieldNode]
) -> Complete:
    type_name = type_.name
    # (response name, field nodes, basic resolver or None for __typename, type, completer)
    fields: list[tuple[str, list[FieldNode], Any, Any, Complete | None]] = []
    for key, sub_nodes in sub_grouped(nodes).items():
        name = sub_nodes[0].name.value
        if name == "__typename":
            fields.append((key, sub_nodes, None, None, None))
            continue
        definition = type_.fields.get(name)
        if definition is None or name.startswith("__") or definition.args:
            raise Uncompilable(name)
        strawberry_field = definition.extensions.get(DEFINITION)
        resolve = definition.resolve
        if (
            strawberry_field is None
            or not strawberry_field.is_basic_field
            or not is_basic_resolver(resolve)
        ):
            # Only Strawberry's basic field (the source's attribute, no info needed) is
            # known to resolve as below.
            raise Uncompilable(name)
        complete = completer(schema, definition.type, type_name, name, sub_nodes)
        fields.append((key, sub_nodes, resolve, definition.type, complete))

    def complete_object(value: Any, path: Path, errors: Errors) -> Any:
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            return None
        result: dict[str, Any] = {}
        for key, sub_nodes, resolve, return_type, complete in fields:
            if complete is None:
                result[key] = type_name
                continue
            field_path = Path(path, key, type_name)
            try:
                result[key] = complete(resolve(value, None), field_path, errors)
            except Exception as raw:
                errors.handle(raw, return_type, sub_nodes, field_path)
                result[key] = None
        return result

    return complete_object
