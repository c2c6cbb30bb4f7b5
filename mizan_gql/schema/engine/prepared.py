"""Prepared queries: a query of a document the schema parsed and validated before.

Strawberry's pipeline costs more than the execution of a small query: an execution
context, a fresh instance of every schema extension, four extension stages and
graphql-core's incremental executor. Once a document has been parsed and validated
without errors (a persisted hash, a generated operation, the same text sent again), a
query of it only still needs what the extensions do *around* execution.
The GraphQL view asks
:meth:`MizanSchema.execute_prepared <mizan_gql.schema.engine.schema.MizanSchema.execute_prepared>`
first, which answers None - and Strawberry's ``execute`` runs, as for any other request -
unless:

* every extension of the schema says what it does for a prepared query, in a
  ``prepared_query`` attribute of its class (:data:`THIRD_PARTY` for the ones mizan_gql
  uses but does not define): ``"skip"`` - it acts on parsing, validation, mutations or
  streams only; ``"hooks"`` - its operation and execution hooks run on a fresh instance,
  as on Strawberry's path; ``"shared"`` - one instance serves every request (its hooks
  only read its options). Those hooks are synchronous generators (run by
  :class:`~mizan_gql.schema.engine.hooks.HookStack`) and ``get_results`` is synchronous;
* an extension class finds the document (``prepared_document(schema, query,
  operation_extensions)``: the persisted queries' document cache), and
* the operation it picks is a query the caller allows.

Everything else - a document not validated yet or with errors, a mutation or
subscription, a refused persisted query, a project's own extension without
``prepared_query`` - takes Strawberry's path. The query runs with graphql-core's plain
executor (:class:`~mizan_gql.schema.engine.executors.QueryExecutor`): the schema has no
``@defer``/``@stream``, so the incremental one has nothing more to do.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from inspect import isawaitable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from graphql import DocumentNode, OperationDefinitionNode
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import OperationType as GraphQLOperationType
from graphql.execution import MiddlewareManager
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry_django.optimizer import DjangoOptimizerExtension

try:  # it needs opentelemetry, which projects that trace install
    from strawberry.extensions.tracing.opentelemetry import OpenTelemetryExtension

    TRACING: tuple[type, ...] = (OpenTelemetryExtension,)
except ImportError:
    TRACING = ()

from .executors import QueryExecutor
from .hooks import Hook, HookStack, generator_hook
from .private import (
    GRAPHQL_CORE_32,
    coerce_error,
    execute_function,
    execution_context_class_kwargs,
    graphql_schema,
)

if TYPE_CHECKING:
    from .compiled import CompiledOperation

if GRAPHQL_CORE_32:
    # Compiled queries build on graphql-core 3.3's execution API (compiled.py): on 3.2,
    # graphql-core runs every query.
    def compiles_with(middleware: MiddlewareManager | None) -> bool:
        return False

    def compile_operation(schema: Any, operation: Any) -> CompiledOperation | None:
        return None

else:
    from .compiled import compile_operation, compiles_with  # type: ignore[assignment]

__all__ = [
    "PreparedDocument",
    "PreparedPlan",
    "PreparedQuery",
    "Stance",
    "execute_prepared",
    "prepared_plan",
    "prepared_query",
]

Stance = Literal["skip", "hooks", "shared"]
logger = logging.getLogger("mizan_gql")

# What the prepared path does with extensions mizan_gql uses but does not define.
THIRD_PARTY: tuple[tuple[type, Stance], ...] = (
    (AddValidationRules, "skip"),  # acts on validation only
    # Its resolve hook and context variable only read its options: one instance serves
    # every request (Strawberry makes one per request for extensions in general).
    (DjangoOptimizerExtension, "shared"),
)
# Strawberry's OpenTelemetryExtension: a span per operation (on_operation) and per resolved
# field (resolve), on a fresh instance per request; a prepared query is neither parsed nor
# validated, so it has no spans for those.
THIRD_PARTY += tuple((extension, "hooks") for extension in TRACING)
ALL_OPERATION_TYPES = (OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION)


class PreparedDocument(Protocol):
    """A document validated before, as an extension's ``prepared_document`` finds it."""

    text: str
    document: DocumentNode
    # The document's compiled operations by requested operation name (None: graphql-core
    # runs it), kept by execute_prepared.
    compiled: dict[str | None, CompiledOperation | None]

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The operation ``name`` picks (None when it picks none)."""


Finder = Callable[[Any, Any, Any], PreparedDocument | None]


@dataclass(frozen=True)
class Slot:
    """One extension whose hooks run for prepared queries."""

    make: Callable[[], SchemaExtension]  # a fresh instance, or the one shared instance
    on_operation: Hook | None
    on_execute: Hook | None
    results: bool  # it overrides get_results


@dataclass(frozen=True)
class PreparedPlan:
    """How a schema runs prepared queries (worked out once per schema)."""

    slots: tuple[Slot, ...]  # the "hooks" and "shared" extensions, in the schema's order
    middleware: MiddlewareManager | None  # the resolve hooks of shared extensions
    resolve_per_request: bool  # a per-request extension has a resolve hook
    find: Finder
    executor_kwargs: dict[str, Any]
    compiles: bool  # its queries may run compiled (compiled.py) where they are simple

    @cached_property
    def operation_hooks(self) -> tuple[tuple[int, Hook], ...]:
        """(slot index, hook) of the slots with an ``on_operation`` hook."""
        return tuple((i, s.on_operation) for i, s in enumerate(self.slots) if s.on_operation)

    @cached_property
    def execute_hooks(self) -> tuple[tuple[int, Hook], ...]:
        return tuple((i, s.on_execute) for i, s in enumerate(self.slots) if s.on_execute)

    @cached_property
    def with_results(self) -> tuple[int, ...]:
        return tuple(i for i, slot in enumerate(self.slots) if slot.results)


def stance_of(cls: type) -> Stance | None:
    stance: Stance | None = getattr(cls, "prepared_query", None)
    if stance is not None:
        return stance
    return next((s for base, s in THIRD_PARTY if issubclass(cls, base)), None)


def _class_of(extension: Any) -> Any:
    target = extension.func if isinstance(extension, functools.partial) else extension
    return target if isinstance(target, type) else type(target)


def _implements_resolve(cls: type) -> bool:
    return getattr(cls, "resolve", SchemaExtension.resolve) is not SchemaExtension.resolve


def build_plan(extensions: Iterable[Any], directives: Iterable[Any]) -> PreparedPlan | None:
    """The plan for a schema with these extensions, or None when it cannot have one."""
    if any(True for _ in directives):
        return None  # Strawberry adds its directives extension per request
    slots: list[Slot] = []
    shared: list[SchemaExtension] = []
    resolve_per_request = False
    find: Finder | None = None
    for extension in extensions:
        cls = _class_of(extension)
        stance = stance_of(cls) if issubclass(cls, SchemaExtension) else None
        if stance is None:
            return None
        find = find or getattr(cls, "prepared_document", None)
        if stance == "skip":
            continue
        try:
            on_operation = generator_hook(cls, "on_operation")
            on_execute = generator_hook(cls, "on_execute")
        except TypeError:
            return None  # async or plain-function hooks: Strawberry's runner handles them
        if inspect.iscoroutinefunction(cls.get_results):
            return None
        make: Callable[[], SchemaExtension] = extension
        if stance == "shared" or isinstance(extension, SchemaExtension):
            # An instance given in the settings serves every request, as on Strawberry's path.
            instance = extension if isinstance(extension, SchemaExtension) else extension()
            shared.append(instance)
            make = functools.partial(_same, instance)
        else:
            resolve_per_request = resolve_per_request or _implements_resolve(cls)
        results = cls.get_results is not SchemaExtension.get_results
        slots.append(Slot(make, on_operation, on_execute, results))
    if find is None:
        return None
    resolvers = [e for e in shared if _implements_resolve(type(e))]
    middleware = MiddlewareManager(*resolvers) if resolvers else None
    return PreparedPlan(
        slots=tuple(slots),
        middleware=middleware,
        resolve_per_request=resolve_per_request,
        find=find,
        executor_kwargs=execution_context_class_kwargs(QueryExecutor),
        # A per-request resolve hook (tracing a span per field) needs every field resolved
        # through it: graphql-core does that.
        compiles=not resolve_per_request and compiles_with(middleware),
    )


def _same(instance: SchemaExtension) -> SchemaExtension:
    return instance


def prepared_plan(schema: Any) -> PreparedPlan | None:
    """The schema's plan, computed once (None: every operation takes Strawberry's path)."""
    if schema.config.enable_experimental_incremental_execution:
        return None
    return schema.derived("prepared_plan", lambda: build_plan(schema.extensions, schema.directives))


class PreparedQuery(NamedTuple):
    """A request that runs as a prepared query (see :func:`prepared_query`)."""

    plan: PreparedPlan
    document: PreparedDocument
    operation_name: str | None
    allowed: tuple[OperationType, ...]
    operation_extensions: dict[str, Any] | None


def prepared_query(
    schema: Any,
    query: str | None,
    operation_extensions: dict[str, Any] | None,
    operation_name: str | None,
    allowed_operation_types: Iterable[OperationType] | None = None,
) -> PreparedQuery | None:
    """The prepared query a request stands for, or None when it takes Strawberry's path."""
    plan = prepared_plan(schema)
    if plan is None:
        return None
    allowed = tuple(allowed_operation_types or ALL_OPERATION_TYPES)
    if OperationType.QUERY not in allowed:
        return None
    found = plan.find(schema, query, operation_extensions)
    if found is None:
        return None
    operation = found.operation(operation_name)
    if operation is None or operation.operation != GraphQLOperationType.QUERY:
        return None  # mutations (CSRF, 405 over GET) and subscriptions: Strawberry's path
    return PreparedQuery(plan, found, operation_name, allowed, operation_extensions)


async def execute_prepared(
    schema: Any,
    prepared: PreparedQuery,
    variable_values: dict[str, Any] | None,
    context_value: Any,
    root_value: Any,
) -> ExecutionResult:
    """Run ``prepared`` and return its result, as Strawberry's ``execute`` would."""
    plan, operation_name = prepared.plan, prepared.operation_name
    execution_context = ExecutionContext(
        query=prepared.document.text,
        schema=schema,
        allowed_operations=prepared.allowed,
        context=context_value,
        variables=variable_values,
        root_value=root_value,
        provided_operation_name=operation_name,
        operation_extensions=prepared.operation_extensions,
    )
    execution_context.graphql_document = prepared.document.document
    extensions = [slot.make() for slot in plan.slots]
    for extension in extensions:  # as Strawberry does, shared instances included
        extension.execution_context = execution_context
    middleware = plan.middleware
    if plan.resolve_per_request:
        middleware = MiddlewareManager(*(e for e in extensions if _implements_resolve(type(e))))
    try:
        compiled = compiled_operation(schema, plan, prepared)
        result = await _run(
            schema, plan, execution_context, extensions, middleware, operation_name, compiled
        )
    except Exception as exc:  # what Strawberry answers for an extension that fails
        result = GraphQLExecutionResult(data=None, errors=[coerce_error(exc)])
        execution_context.pre_execution_errors = result.errors
        schema.process_errors(result.errors, execution_context)
    results: dict[str, Any] = {}
    for index in plan.with_results:
        results.update(extensions[index].get_results())  # type: ignore[arg-type]
    results.update(execution_context.extensions_results)
    final = ExecutionResult(data=result.data, errors=result.errors, extensions=results)
    execution_context.result = final
    return final


async def _run(
    schema: Any,
    plan: PreparedPlan,
    execution_context: ExecutionContext,
    extensions: list[SchemaExtension],
    middleware: MiddlewareManager | None,
    operation_name: str | None,
    compiled: CompiledOperation | None,
) -> Any:
    """The operation and execution stages around graphql-core's execution, as on
    Strawberry's path (Schema.execute and _execute_operation)."""
    operation = HookStack()
    for index, hook in plan.operation_hooks:
        operation.enter_hook(hook, extensions[index])
    try:
        executing = HookStack()
        for index, hook in plan.execute_hooks:
            executing.enter_hook(hook, extensions[index])
        try:
            if execution_context.result is None:  # an extension may answer by itself
                execution_context.result = await _execute(
                    schema, plan, execution_context, middleware, operation_name, compiled
                )
            result = execution_context.result
            if result.errors:
                execution_context.pre_execution_errors = result.errors
                schema.process_errors(result.errors, execution_context)
        except BaseException as exc:
            executing.leave(exc)
            raise
        executing.leave()
    except BaseException as exc:
        operation.leave(exc)
        raise
    operation.leave()
    return result


MAX_COMPILED_NAMES = 16  # operation names are the client's: stay bounded


def compiled_operation(
    schema: Any, plan: PreparedPlan, prepared: PreparedQuery
) -> CompiledOperation | None:
    """The compiled form of the prepared query's operation (compiled once per document
    and operation name), or None: graphql-core runs it."""
    if not plan.compiles:
        return None
    document, name = prepared.document, prepared.operation_name
    try:
        return document.compiled[name]
    except KeyError:
        pass
    operation = document.operation(name)
    try:
        compiled = (
            compile_operation(graphql_schema(schema), operation) if operation is not None else None
        )
    except Exception:  # a shape compile_operation did not foresee: graphql-core runs it
        logger.warning("The query %r could not be compiled", name, exc_info=True)
        compiled = None
    if len(document.compiled) < MAX_COMPILED_NAMES:
        document.compiled[name] = compiled
    return compiled


async def _execute(
    schema: Any,
    plan: PreparedPlan,
    execution_context: ExecutionContext,
    middleware: MiddlewareManager | None,
    operation_name: str | None,
    compiled: CompiledOperation | None,
) -> Any:
    prepared_extensions = execution_context.operation_extensions
    try:
        if compiled is not None:
            return await compiled.execute(
                execution_context.root_value,
                execution_context.context,
                execution_context.variables,
                middleware,
                execution_context.operation_extensions,
            )
        # graphql-core's execute, as the schema's configuration picks it.
        result = execute_function(schema)(
            graphql_schema(schema),
            execution_context.graphql_document,
            root_value=execution_context.root_value,
            middleware=middleware,
            variable_values=execution_context.variables,
            operation_name=operation_name,
            context_value=execution_context.context,
            is_awaitable=optimized_is_awaitable,
            # graphql-core 3.2's execute takes no operation extensions (Strawberry gives
            # them to 3.3's only, as here).
            **({} if GRAPHQL_CORE_32 else {"operation_extensions": prepared_extensions}),
            **plan.executor_kwargs,
        )
        if isawaitable(result):
            result = await result
    except Exception as exc:  # what Strawberry turns into an error result, too
        result = GraphQLExecutionResult(data=None, errors=[coerce_error(exc)])
    return result
