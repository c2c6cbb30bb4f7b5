"""``MizanSchema``: Strawberry's schema with mizan_gql's execution shortcuts behind it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from ..errors import log_unexpected
from .execution import MizanExecutionContext
from .prepared import PreparedQuery, execute_prepared, prepared_query
from .runner import FastExtensionsRunner

__all__ = ["MizanSchema"]

T = TypeVar("T")

ALL_OPERATIONS = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)


def single_result_operations(
    allowed_operation_types: Iterable[OperationType] | None,
) -> set[OperationType]:
    """What ``execute`` may run of ``allowed_operation_types``: no subscription.

    A subscription yields a stream, which only ``subscribe``/``stream`` deliver (the
    WebSocket, a streaming HTTP response). ``execute`` would resolve its root field once
    as if it were a query and fail on the stream it returns, as an unexpected error of the
    server; refused here, it is Strawberry's ``InvalidOperationTypeError``, the client's
    mistake (HTTP answers 400).
    """
    allowed = ALL_OPERATIONS if allowed_operation_types is None else allowed_operation_types
    return set(allowed) - {OperationType.SUBSCRIPTION}


class MizanSchema(strawberry.Schema):
    """Strawberry's schema as mizan_gql runs it.

    - :meth:`prepared_query` finds a query of a document validated before, which
      :meth:`execute_prepared` runs as a *prepared query*
      (:mod:`mizan_gql.schema.engine.prepared`); anything else :meth:`execute`
      (Strawberry's) runs. The GraphQL view asks first;
    - extension hooks are resolved once per extension class, not per request
      (:class:`~mizan_gql.schema.engine.runner.FastExtensionsRunner`);
    - only unexpected errors are logged (``ClientError`` and bad input are normal);
    - :meth:`execute` refuses subscriptions, which only a stream delivers;
    - a document of several operations needs an ``operationName``, as the GraphQL spec
      says (:mod:`mizan_gql.schema.engine.execution`), on every transport;
    - ``mizan_registry`` is the registry it was built from, and :meth:`derived` keeps
      what features compute from it (generated operations, the edge manifest, ...), so a
      rebuilt schema (settings changed) starts afresh.
    """

    mizan_registry: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._derived: dict[str, Any] = {}

    def derived(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, computed once for this schema and kept under ``key``."""
        try:
            return self._derived[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[key] = compute()
            return value

    def prepared_query(
        self,
        query: str | None,
        operation_extensions: dict[str, Any] | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> PreparedQuery | None:
        """The prepared query a request stands for, or None: then run the request with
        :meth:`execute` (Strawberry's path). Cheap: no context is needed to ask."""
        return prepared_query(
            self, query, operation_extensions, operation_name, allowed_operation_types
        )

    async def execute_prepared(
        self,
        prepared: PreparedQuery,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
    ) -> ExecutionResult:
        """Run a prepared query: the result :meth:`execute` would give, without
        Strawberry's pipeline (see :mod:`mizan_gql.schema.engine.prepared`)."""
        return await execute_prepared(self, prepared, variable_values, context_value, root_value)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Strawberry's ``execute``, which never runs a subscription (see
        :func:`single_result_operations`)."""
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            single_result_operations(allowed_operation_types),
            operation_extensions,
        )

    def _create_execution_context(
        self,
        query: str | None,
        allowed_operation_types: Iterable[OperationType],
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionContext:
        # Strawberry's, with the operation chosen per the GraphQL spec (execution.py).
        return MizanExecutionContext(
            query=query,
            schema=self,
            allowed_operations=allowed_operation_types,
            context=context_value,
            root_value=root_value,
            variables=variable_values,
            provided_operation_name=operation_name,
            operation_extensions=operation_extensions,
        )

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_unexpected(errors)

    def create_extensions_runner(self, execution_context: Any, extensions: Any) -> Any:
        # Performance: hooks resolved once per extension class, not per request.
        return FastExtensionsRunner(execution_context=execution_context, extensions=extensions)
