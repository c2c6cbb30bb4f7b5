"""A context's generated operation as a GET endpoint: typed query-string parameters.

``/graphql/ctx/user/?user_id=5`` names the context's Python parameters. Values are
validated with pydantic against the functions' annotations (so ``Field(gt=0)`` holds),
then turned into the operation's GraphQL variables. The canonical query string (names
sorted, values in their canonical text) identifies the response for caches and CDNs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from pydantic import BaseModel, TypeAdapter, ValidationError
from strawberry.utils.str_converters import to_camel_case

from ..exceptions import ClientError, field_error, invalid_value_message, pydantic_field_errors
from ..invalidation_header import value_text
from ..registry.entry import ClientFunction, Param
from ..schema.engine import graphql_schema
from ..schema.operations import Operation, operations_for
from .policy import ContextPolicy, context_policy

__all__ = ["ContextOperation", "context_operation"]


@dataclass(frozen=True)
class _Parameter:
    param: Param
    adapter: TypeAdapter[Any]
    graphql_name: str
    graphql_type: GraphQLInputType
    is_list: bool
    is_json: bool


@dataclass(frozen=True)
class ContextOperation:
    """Everything the GET endpoint needs to run one context."""

    name: str
    entries: tuple[ClientFunction, ...]
    operation: Operation
    parameters: tuple[_Parameter, ...]
    policy: ContextPolicy  # fixed once the registry is frozen
    # What each query string seen lately means (see endpoint.prepare).
    requests: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def public_hit(self) -> bool:
        """Whether a stored response answers every request alike: a cached public context
        whose functions need no auth."""
        return (
            self.policy.cache == "public"
            and self.policy.ttl > 0
            and all(entry.options.auth in (None, False) for entry in self.entries)
        )

    def parse(self, query: Mapping[str, list[str]]) -> dict[str, Any]:
        """Typed parameter values from the query string; :class:`ClientError` if bad."""
        known = {p.param.name: p for p in self.parameters}
        unknown = sorted(set(query) - set(known))
        if unknown:
            raise ClientError.invalid_input(
                [field_error([n], "unknown parameter", "unknown") for n in unknown],
                f"Unknown parameter {', '.join(unknown)} for context {self.name!r}; "
                f"it takes: {', '.join(known) or 'no parameters'}.",
            )
        values: dict[str, Any] = {}
        field_errors: list[dict[str, Any]] = []
        for name, parameter in known.items():
            raw = query.get(name)
            if not raw:
                if parameter.param.required:
                    field_errors.append(field_error([name], "Field required", "missing"))
                continue
            if not parameter.is_list and len(raw) > 1:
                field_errors.append(field_error([name], "given more than once", "repeated"))
                continue
            try:
                if parameter.is_list:
                    values[name] = parameter.adapter.validate_python(raw)
                elif parameter.is_json:
                    values[name] = parameter.adapter.validate_json(raw[0])
                else:
                    values[name] = parameter.adapter.validate_python(raw[0])
            except ValidationError as exc:
                field_errors.extend(pydantic_field_errors(exc, [name], camel=False))
                continue
            try:  # valid in Python, but also within the GraphQL type (Int is 32-bit)?
                graphql_value(values[name], parameter.graphql_type)
            except GraphQLError as exc:
                message = exc.message
            except (TypeError, ValueError):
                message = f"not a valid {parameter.graphql_type} value"
            else:
                continue
            field_errors.append(field_error([name], message, "graphql"))
        if field_errors:
            raise ClientError.invalid_input(
                field_errors, invalid_value_message(field_errors, "parameter")
            )
        return values

    def variables(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """GraphQL variables (JSON values) for typed parameter values."""
        return {
            p.graphql_name: graphql_value(values[p.param.name], p.graphql_type)
            for p in self.parameters
            if p.param.name in values
        }

    def canonical_query(self, values: Mapping[str, Any]) -> str:
        """``a=1&b=x``: names sorted, each value in its canonical text (lists repeated)."""
        pairs: list[tuple[str, str]] = []
        for name in sorted(values):
            value = values[name]
            items = value if isinstance(value, (list, tuple)) else [value]
            pairs.extend((name, value_text(item)) for item in items)
        return urlencode(pairs)


def context_operation(schema: Any, name: str) -> ContextOperation | None:
    """The context ``name`` of ``schema`` (None if there is none), computed once."""
    memo: dict[str, ContextOperation | None] = schema.derived("context_operations", dict)
    if name not in memo:
        memo[name] = _build(schema, name)
    return memo[name]


def _build(schema: Any, name: str) -> ContextOperation | None:
    registry = getattr(schema, "mizan_registry", None)
    operation = operations_for(schema).contexts.get(name)
    if registry is None or operation is None:
        return None
    entries = tuple(registry.contexts()[name])
    root = graphql_schema(schema).query_type
    assert root is not None  # the schema has the context's operation
    parameters = []
    for param in entries[0].params:
        graphql_name = to_camel_case(param.name)
        graphql_type = next(
            root.fields[field].args[graphql_name].type
            for field in operation.fields
            if graphql_name in root.fields[field].args
        )
        named = _unwrap(graphql_type)
        parameters.append(
            _Parameter(
                param=param,
                adapter=TypeAdapter(param.annotation),
                graphql_name=graphql_name,
                graphql_type=graphql_type,
                is_list=_is_list(graphql_type),
                is_json=isinstance(named, GraphQLInputObjectType)
                or (isinstance(named, GraphQLScalarType) and named.name == "JSON"),
            )
        )
    return ContextOperation(name, entries, operation, tuple(parameters), context_policy(name))


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def graphql_value(value: Any, type_: Any) -> Any:
    """A validated Python value as the JSON value of a GraphQL variable of ``type_``."""
    if value is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        return graphql_value(value, type_.of_type)
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        return [graphql_value(v, type_.of_type) for v in items]
    if isinstance(type_, GraphQLInputObjectType):
        data = value.model_dump() if isinstance(value, BaseModel) else dict(value)
        by_graphql = {to_camel_case(k): v for k, v in data.items()}
        return {
            field_name: graphql_value(by_graphql[field_name], field.type)
            for field_name, field in type_.fields.items()
            if field_name in by_graphql
        }
    if isinstance(type_, (GraphQLEnumType, GraphQLScalarType)):
        return type_.serialize(value)
    return value
