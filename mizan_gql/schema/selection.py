"""Select every field of a GraphQL output type, recursively, within bounds.

A generated operation asks for everything a function returns. Recursive types
(strawberry-django relations such as ``Author.books -> Book.author``) would never end,
so an object type is not expanded again inside itself (the cycle guard) and nesting
stops at ``max_depth``. Fields that need arguments the operation cannot supply are
left out; a type left with nothing to select falls back to ``__typename``.
"""

from __future__ import annotations

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined

__all__ = ["DEFAULT_MAX_DEPTH", "select_all"]

# Levels of nested objects below a root field. Kept under MAX_DEPTH by the caller.
DEFAULT_MAX_DEPTH = 8


def select_all(schema: GraphQLSchema, type_: GraphQLOutputType, max_depth: int) -> str:
    """The selection set (``"{ ... }"``) for ``type_``, or ``""`` for scalars and enums."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    return _selection(schema, named, frozenset(), max_depth) or "{ __typename }"


def _selection(
    schema: GraphQLSchema, named: object, path: frozenset[str], budget: int
) -> str | None:
    if budget <= 0:
        return None
    if isinstance(named, GraphQLUnionType):
        fragments = [
            f"... on {member.name} {sub}"
            for member in named.types
            if member.name not in path
            and (sub := _selection(schema, member, path, budget)) is not None
        ]
        return "{ __typename " + " ".join(fragments) + " }"
    if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
        return None
    inner = path | {named.name}
    parts = []
    for name, field in named.fields.items():
        if name.startswith("__") or any(
            is_non_null_type(arg.type) and arg.default_value is Undefined
            for arg in field.args.values()
        ):
            continue
        field_type = get_named_type(field.type)
        if is_leaf_type(field_type):
            parts.append(name)
        elif field_type.name not in inner and (
            sub := _selection(schema, field_type, inner, budget - 1)
        ):
            parts.append(f"{name} {sub}")
    if isinstance(named, GraphQLInterfaceType):
        parts.insert(0, "__typename")
        own = set(named.fields)
        for impl in schema.get_implementations(named).objects:
            if impl.name in path:
                continue
            sub = _selection(schema, impl, path, budget)
            if sub is not None and set(impl.fields) - own:
                parts.append(f"... on {impl.name} {sub}")
    return "{ " + " ".join(parts) + " }" if parts else None
