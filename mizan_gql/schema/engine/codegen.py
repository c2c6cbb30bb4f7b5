"""Strawberry's codegen, adapted to what the generated TypeScript client sends and receives.

Both classes override private methods of Strawberry's codegen (listed in private.py):

- :class:`WireQueryCodegen` is ``QueryCodegen`` naming fields, input fields and enum
  values as they are on the wire (GraphQL names, not Python ones); :class:`Collect` keeps
  what it found for one operation.
- :class:`TypesPrinter` is ``TypeScriptPlugin`` with these differences: types are
  exported; nullable values are ``T | null`` (JSON has no ``undefined``), and nullable
  input fields and variables may be omitted (``name?: T | null``); enums are string unions
  of their GraphQL names (no runtime code, so ``isolatedModules`` and type stripping
  work); scalars without a TypeScript counterpart map to ``JSONValue`` / ``unknown``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from graphql import GraphQLInputObjectType
from strawberry.codegen import QueryCodegen, QueryCodegenPlugin
from strawberry.codegen.plugins.typescript import TypeScriptPlugin
from strawberry.codegen.types import (
    GraphQLEnum,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOperation,
    GraphQLOptional,
    GraphQLScalar,
    GraphQLType,
    GraphQLUnion,
)

from .private import graphql_schema

__all__ = ["Collect", "TypesPrinter", "WireQueryCodegen"]


class Collect(QueryCodegenPlugin):
    """Keeps what Strawberry's codegen found for one operation."""

    def __init__(self) -> None:
        super().__init__(Path("operation.graphql"))
        self.types: list[GraphQLType] = []
        self.operation: GraphQLOperation | None = None

    def generate_code(self, types: list[GraphQLType], operation: GraphQLOperation) -> list[Any]:
        self.types, self.operation = types, operation
        return []


class WireQueryCodegen(QueryCodegen):
    """Strawberry's QueryCodegen, with names as they are on the wire.

    Strawberry's codegen names fields and enum values by their Python names; the JSON a
    client sends and receives uses the schema's names (``helpText``, not ``help_text``).
    """

    def _get_field(self, selection: Any, class_name: str, parent_type: Any) -> GraphQLField:
        field = super()._get_field(selection, class_name, parent_type)
        field.name = selection.name.value
        return field

    def _collect_type_from_strawberry_type(self, strawberry_type: Any) -> GraphQLType:
        collected = super()._collect_type_from_strawberry_type(strawberry_type)
        if isinstance(collected, GraphQLObjectType):
            graphql_type = graphql_schema(self.schema).type_map.get(collected.name)
            if isinstance(graphql_type, GraphQLInputObjectType) and len(graphql_type.fields) == len(
                collected.fields
            ):
                for field, name in zip(collected.fields, graphql_type.fields, strict=True):
                    field.name = name
        return collected

    def _collect_enum(self, enum: Any) -> GraphQLEnum:
        collected = super()._collect_enum(enum)
        graphql_type = graphql_schema(self.schema).type_map.get(collected.name)
        if graphql_type is not None and hasattr(graphql_type, "values"):
            collected.values = list(graphql_type.values)
        return collected


class TypesPrinter(TypeScriptPlugin):
    """Prints the TypeScript types of the generated client (see above)."""

    SCALARS_TO_TS_TYPE: ClassVar[dict[str | type, str]] = {
        **TypeScriptPlugin.SCALARS_TO_TS_TYPE,
        "JSON": "JSONValue",
        "Upload": "Blob",
        "Void": "null",
        "BigInt": "string",
        "Base16": "string",
        "Base32": "string",
        "Base64": "string",
        "GlobalID": "string",
    }

    def __init__(self, input_types: set[str]) -> None:
        super().__init__(Path("types.graphql"))
        self.input_types = input_types

    def _get_type_name(self, type_: GraphQLType) -> str:
        if isinstance(type_, GraphQLOptional):
            return f"{self._get_type_name(type_.of_type)} | null"
        if isinstance(type_, GraphQLList):
            child = self._get_type_name(type_.of_type)
            return f"({child})[]" if "|" in child else f"{child}[]"
        if isinstance(type_, GraphQLScalar):
            return self.SCALARS_TO_TS_TYPE.get(type_.name, "unknown")
        return super()._get_type_name(type_)

    def print_types(self, types: list[GraphQLType]) -> str:
        printed = [self._print_type(t) for t in types]
        return "\n\n".join(p for p in printed if p)

    def _print_field_in(self, field: GraphQLField, is_input: bool) -> str:
        name = field.alias or field.name
        optional = "?" if is_input and isinstance(field.type, GraphQLOptional) else ""
        return f"  {_property(name)}{optional}: {self._get_type_name(field.type)};"

    def _print_object_type(self, type_: GraphQLObjectType) -> str:
        is_input = type_.name in self.input_types
        if not type_.fields:
            return f"export type {type_.name} = Record<string, never>;"
        lines = [f"export type {type_.name} = {{"]
        if type_.graphql_typename and not any(f.name == "__typename" for f in type_.fields):
            lines.append(f"  __typename?: {json.dumps(type_.graphql_typename)};")
        lines.extend(self._print_field_in(f, is_input) for f in type_.fields)
        lines.append("};")
        return "\n".join(lines)

    def _print_enum_type(self, type_: GraphQLEnum) -> str:
        values = " | ".join(json.dumps(v) for v in type_.values) or "never"
        return f"export type {type_.name} = {values};"

    def _print_scalar_type(self, type_: GraphQLScalar) -> str:
        return ""

    def _print_union_type(self, type_: GraphQLUnion) -> str:
        return f"export type {type_.name} = {' | '.join(t.name for t in type_.types) or 'never'};"


def _property(name: str) -> str:
    return name if name.isidentifier() else json.dumps(name)
