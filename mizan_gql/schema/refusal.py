"""A request refused before parsing: the stand-in document that carries the refusal.

An extension that refuses a request in ``on_operation`` or ``on_parse`` (a persisted-query
rule, a document over a size limit) cannot stop Strawberry's pipeline there: Strawberry
parses, checks the operation type and validates next. It sets this document, which passes
those checks, and reports its refusal as the validation errors, so every transport (HTTP,
WebSocket, streaming) answers it like any other invalid document.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

__all__ = ["placeholder_document"]


def placeholder_document(execution_context: Any) -> DocumentNode:
    """A document with the requested operation name and an allowed operation type."""
    allowed = {t.value for t in execution_context.allowed_operations}
    kind = "query" if "query" in allowed or not allowed else sorted(allowed)[0]
    name = execution_context.operation_name
    name = name if isinstance(name, str) else None
    return DocumentNode(
        definitions=(
            OperationDefinitionNode(
                operation=OperationType(kind),
                name=NameNode(value=name) if name else None,
                variable_definitions=(),
                directives=(),
                selection_set=SelectionSetNode(
                    selections=(FieldNode(name=NameNode(value="__typename"), directives=()),)
                ),
            ),
        )
    )
