"""Strawberry's TypeScript codegen plugin, adapted to what the client receives and sends.

Differences from ``strawberry.codegen.plugins.typescript.TypeScriptPlugin``: types are
exported; nullable values are ``T | null`` (JSON has no ``undefined``), and nullable input
fields and variables may be omitted (``name?: T | null``); enums are string unions of
their GraphQL names (no runtime code, so ``isolatedModules`` and type stripping work);
scalars without a TypeScript counterpart map to ``JSONValue`` / ``unknown``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from strawberry.codegen.plugins.typescript import TypeScriptPlugin
from strawberry.codegen.types import (
    GraphQLEnum,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLOptional,
    GraphQLScalar,
    GraphQLType,
    GraphQLUnion,
)

__all__ = ["TypesPrinter"]


class TypesPrinter(TypeScriptPlugin):
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
