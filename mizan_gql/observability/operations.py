"""``OperationsObserver``: every GraphQL operation to ``signals.operation_executed``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from ..constants import DOCUMENT_ID
from ..signals import operation_executed

__all__ = ["OperationsObserver"]


class OperationsObserver(SchemaExtension):
    """Reports every operation: name, type, which path ran it, persisted or not, timing.

    The innermost of mizan_gql's operation hooks but persisted queries': their hash is
    resolved to a document before this hook starts.
    """

    prepared_query = "hooks"  # prepared queries are operations too

    def on_operation(self) -> Iterator[None]:
        if not operation_executed.receivers:
            yield
            return
        execution_context = self.execution_context
        # A prepared query comes with its document; Strawberry's path parses it later.
        path = "prepared" if execution_context.graphql_document is not None else "full"
        start = time.perf_counter()
        try:
            yield
        finally:
            _report(execution_context, path, time.perf_counter() - start)


def _report(execution_context: Any, path: str, duration: float) -> None:
    try:
        name = execution_context.operation_name
        operation_type = execution_context.operation_type.value
    except Exception:  # the document never parsed (or picks no operation)
        name, operation_type = execution_context.provided_operation_name, None
    result = execution_context.result
    errors = (result.errors if result is not None else None) or (
        execution_context.pre_execution_errors or []
    )
    extensions = execution_context.operation_extensions
    operation_executed.send(
        None,
        name=name,
        operation_type=operation_type,
        path=path,
        persisted=isinstance(extensions, dict)
        and ("persistedQuery" in extensions or DOCUMENT_ID in extensions),
        document=execution_context.query,
        variables=execution_context.variables,
        errors=len(errors),
        duration=duration,
    )
