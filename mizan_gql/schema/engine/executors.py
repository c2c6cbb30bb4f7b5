"""graphql-core executors for mizan's schema: freed when their response is built.

graphql-core's executor holds ``async_helpers`` whose bound methods point back at the
executor: a reference cycle that keeps the executor - and through it the request's
context and response - alive until the garbage collector runs, for every operation.
:class:`ReleasedAfterResponse` lets go of the helpers once the response is built and
nothing runs on (the helpers stay reachable from ``info`` objects a resolver kept).

:class:`QueryExecutor` runs prepared queries (:mod:`mizan_gql.schema.engine.prepared`).
Strawberry executes every operation with graphql-core's ``IncrementalExecutor``, which
also serves ``@defer`` and ``@stream``. mizan's schema does not enable those directives
(Strawberry's ``enable_experimental_incremental_execution``), so a validated document
cannot use them, and graphql-core's plain ``Executor`` (its public base class, which
executes a document as one result) produces the same result without the incremental
bookkeeping. Resolvers see the same ``info`` as under Strawberry's executor (its
``build_resolve_info``, with ``operation_extensions``).

On graphql-core 3.2 (which graphene-django 3 needs) the executor is ``ExecutionContext``:
it holds no helpers pointing back at it and executes nothing incrementally, so there is
nothing to release and Strawberry's executor already is the plain one.
"""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult

from .private import GRAPHQL_CORE_32, StrawberryGraphQLCoreExecutionContext

if GRAPHQL_CORE_32:
    from graphql import ExecutionContext as Executor  # type: ignore[attr-defined]
else:
    from graphql import Executor  # type: ignore[attr-defined,no-redef]

__all__ = ["QueryExecutor", "ReleasedAfterResponse"]


class _ReleasedAfterResponse:
    """Executor mixin: no reference cycle left once a complete response is built."""

    background_futures: set[Any]
    async_work_finished_hook_task: Any
    async_helpers: Any

    def build_response(self, data: dict[str, Any] | None) -> Any:
        response = super().build_response(data)  # type: ignore[misc]
        if (
            type(response) is ExecutionResult  # not incremental results still to come
            and not self.background_futures
            and self.async_work_finished_hook_task is None
        ):
            self.async_helpers = None
        return response


class _NothingToRelease:
    """graphql-core 3.2's executor keeps no reference cycle."""


ReleasedAfterResponse: type = _NothingToRelease if GRAPHQL_CORE_32 else _ReleasedAfterResponse


class QueryExecutor(ReleasedAfterResponse, Executor):  # type: ignore[misc,valid-type]
    """Strawberry's executor without incremental delivery, for schemas without it."""

    def __init__(self, *args: Any, operation_extensions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operation_extensions = operation_extensions

    build_resolve_info = StrawberryGraphQLCoreExecutionContext.build_resolve_info
