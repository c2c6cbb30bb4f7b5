"""The text Apollo Client sends for a document: ``__typename`` added, printed again.

Apollo Client's cache (``InMemoryCache``, in versions 3 and 4 by default) adds a
``__typename`` field to every selection set but the operation's own, then prints the
document with graphql-js ``print``; its persisted-query link hashes that text, and Apollo's
``generate-persisted-query-manifest`` writes it. :func:`apollo_form` makes the same text
with graphql-core, whose printer follows graphql-js's, so a trusted document is also known
by the hash of what Apollo sends for it.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    REMOVE,
    FieldNode,
    GraphQLError,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    parse,
    print_ast,
    visit,
)

__all__ = ["apollo_form", "canonical_form"]

TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())


class _AddTypename(Visitor):
    """Apollo's ``addTypenameToDocument``, rule for rule."""

    def enter_selection_set(
        self, node: SelectionSetNode, key: Any, parent: Any, *args: Any
    ) -> SelectionSetNode | None:
        if isinstance(parent, OperationDefinitionNode):
            return None
        selections = tuple(node.selections or ())
        if not selections:
            return None
        # A __typename already there, or an introspection field (__schema, __type).
        if any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in selections):
            return None
        # A selection exported as a variable (Apollo's @export) stays as written.
        if isinstance(parent, FieldNode) and any(
            d.name.value == "export" for d in parent.directives or ()
        ):
            return None
        return SelectionSetNode(selections=(*selections, TYPENAME))


class _RemoveTypename(Visitor):
    """Every ``__typename`` field without an alias, wherever a client put it."""

    def enter_field(self, node: FieldNode, *args: Any) -> Any:
        if node.name.value == "__typename" and node.alias is None:
            return REMOVE
        return None


def apollo_form(text: str) -> str | None:
    """``text`` as Apollo Client sends it, or None when it does not parse."""
    try:
        document = parse(text, no_location=True)
    except GraphQLError:
        return None
    return print_ast(visit(document, _AddTypename()))


def canonical_form(text: str) -> str | None:
    """What ``text`` asks, whatever its layout, comments and ``__typename`` fields (where
    and whether a client added them): its ``__typename`` fields removed, then added as
    Apollo does, printed. None when it does not parse."""
    try:
        document = parse(text, no_location=True)
    except GraphQLError:
        return None
    return print_ast(visit(visit(document, _RemoveTypename()), _AddTypename()))
