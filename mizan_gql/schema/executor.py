"""The executor of queries on the prepared path (:mod:`mizan_gql.http.prepared`).

Strawberry executes every operation with graphql-core's ``IncrementalExecutor``, which
also serves ``@defer`` and ``@stream``. mizan's schema does not enable those directives
(Strawberry's ``enable_experimental_incremental_execution``), so a validated document
cannot use them, and graphql-core's plain ``Executor`` (its public base class, which
executes a document as one result) produces the same result without the incremental
bookkeeping.

Resolvers see the same ``info`` as under Strawberry's executor (its ``build_resolve_info``,
with ``operation_extensions``). Once the response is built, the executor lets go of its
``async_helpers``: their bound methods point back at the executor, a reference cycle that
would otherwise keep the executor - and through it the request's context and response -
alive until the garbage collector runs.
"""

from __future__ import annotations

from typing import Any

from graphql import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = ["QueryExecutor"]


class QueryExecutor(Executor[None]):
    """Strawberry's executor without incremental delivery, for schemas without it."""

    def __init__(self, *args: Any, operation_extensions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operation_extensions = operation_extensions

    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info

    def build_response(self, data: dict[str, Any] | None) -> Any:
        response = super().build_response(data)
        if not self.background_futures and self.async_work_finished_hook_task is None:
            # Nothing runs on after the response: the helpers (still reachable from
            # ``info`` objects a resolver kept) no longer need to be reachable from here.
            self.async_helpers = None  # type: ignore[assignment]
        return response
