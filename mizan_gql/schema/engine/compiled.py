"""Compiled queries: a prepared query's simple selection run without graphql-core's executor.

A prepared query (:mod:`mizan_gql.schema.engine.prepared`) still hands its document to
graphql-core's executor, which works out for every request what the document already
says: which fields each selection set groups under which response name, which resolver and
which completion each field's type needs, and it builds a resolve info for every field of
every object. For a query made of server functions returning pydantic models, that is most
of the execution's cost: below the root fields, every value is an attribute of a validated
model.

:func:`compile_operation` works that out once per operation of a validated document, and
:class:`CompiledOperation` runs it: variables are coerced and arguments read by graphql-core
itself (``get_variable_values``, ``get_argument_values``: the same values and the same
errors), root fields are resolved through the schema's middleware with the info
graphql-core would build, and the values below are completed by closures that do what
graphql-core's ``complete_value`` does for their type - the same ``coerce_output_value``,
the same messages ("Cannot return null for non-nullable field ...", "Expected Iterable
..."), errors located at the same paths, null propagated to the same nullable parent,
sibling fields cut short where graphql-core stops.

An operation compiles only when it is that simple, and otherwise runs with graphql-core:

* no directives anywhere, no fragments (spreads or inline), no introspection field
  (``__typename`` is fine);
* every root field is a server function's field (mizan's own resolver, no Strawberry
  field extension);
* every object type below is one mizan made of a pydantic model (no abstract type, no
  ``is_type_of``), whose fields have no arguments and no resolver (Strawberry's basic
  field: the model's attribute); leaves are any scalar or enum;
* the schema's middleware is only strawberry-django's optimizer, which passes anything but
  a queryset through unchanged - and below the root fields every value was validated by
  pydantic (``prepared.py`` falls back when a per-request extension has a resolve hook).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfoHelpers,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution import (
    MiddlewareManager,
    VariableValues,
    get_argument_values,
    get_variable_values,
)
from graphql.language import DirectiveNode, FragmentSpreadNode, InlineFragmentNode, Node
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.utilities import coerce_input_value
from strawberry.execution import optimized_is_awaitable
from strawberry.permission import PermissionExtension
from strawberry_django.optimizer import DjangoOptimizerExtension

from .completion import DEFINITION, Complete, Errors, Uncompilable, completer, grouped
from .executors import QueryExecutor
from .private import VariableValueSource, get_variable_signature

__all__ = ["CompiledOperation", "compile_operation", "compiles_with"]

MAX_COERCION_ERRORS = 50  # graphql-core's default, which Strawberry keeps


def compiles_with(middleware: MiddlewareManager | None) -> bool:
    """Whether operations of a schema with this middleware may run compiled."""
    if middleware is None:
        return True
    return all(isinstance(m, DjangoOptimizerExtension) for m in middleware.middlewares)


def compile_operation(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> CompiledOperation | None:
    """The compiled form of a validated query ``operation``, or None when graphql-core
    must run it."""
    root = schema.query_type
    if root is None or _has_directive_or_fragment(operation):
        return None
    try:
        fields = tuple(
            _root_field(schema, root, key, nodes) for key, nodes in grouped(operation).items()
        )
    except Uncompilable:
        return None
    return CompiledOperation(schema, operation, root, fields, _leaf_variables(schema, operation))


def _leaf_variables(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Any:
    """(name, signature, required) of each variable, when all are of a scalar or enum type
    (nullable or not) without a default; else None (graphql-core coerces them)."""
    variables = []
    for definition in operation.variable_definitions or ():
        signature = get_variable_signature(schema, definition)
        if isinstance(signature, GraphQLError) or definition.default_value is not None:
            return None
        type_: Any = signature.type
        required = isinstance(type_, GraphQLNonNull)
        if not isinstance(type_.of_type if required else type_, GraphQLLeafType):
            return None
        variables.append((signature.name, signature, required))
    return tuple(variables)


def _has_directive_or_fragment(node: Any) -> bool:
    if isinstance(node, (DirectiveNode, FragmentSpreadNode, InlineFragmentNode)):
        return True
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, (list, tuple)) else (value,)
        for child in children:
            if isinstance(child, Node) and _has_directive_or_fragment(child):
                return True
    return False


class RootField:
    """A root field: a server function, resolved as graphql-core resolves it."""

    __slots__ = ("complete", "definition", "key", "needs_arguments", "nodes", "return_type")

    def __init__(
        self, key: str, nodes: list[FieldNode], definition: GraphQLField, complete: Complete
    ) -> None:
        self.key = key
        self.nodes = nodes
        self.definition = definition
        self.return_type = definition.type
        self.complete = complete
        self.needs_arguments = bool(definition.args or nodes[0].arguments)


def _root_field(
    schema: GraphQLSchema, root: GraphQLObjectType, key: str, nodes: list[FieldNode]
) -> RootField:
    name = nodes[0].name.value
    definition = root.fields.get(name)
    if definition is None or not _is_function_field(definition):
        raise Uncompilable(name)
    complete = completer(schema, definition.type, root.name, name, nodes)
    return RootField(key, nodes, definition, complete)


def _is_function_field(definition: GraphQLField) -> bool:
    """A server function's field, whose Strawberry field extensions are at most its auth
    (PermissionExtension, which reads the info it is given, like the resolver)."""
    strawberry_field: Any = definition.extensions.get(DEFINITION)
    return getattr(strawberry_field, "mizan_function", None) is not None and all(
        isinstance(e, PermissionExtension) for e in strawberry_field.extensions
    )


def _track(values: Sequence[Any]) -> None:
    settle_in_background([v for v in values if optimized_is_awaitable(v)])


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)


# What a resolver's info.async_helpers offers, as graphql-core's executor offers it.
HELPERS = GraphQLResolveInfoHelpers(gather=_gather, track=_track)
_background: set[asyncio.Future[Any]] = set()


def settle_in_background(awaitables: list[Any]) -> None:
    """Let abandoned awaitables run to their end, as graphql-core's executor does."""
    for awaitable in awaitables:
        future = asyncio.ensure_future(awaitable)
        _background.add(future)
        future.add_done_callback(_settled)


def _settled(future: asyncio.Future[Any]) -> None:
    _background.discard(future)
    if not future.cancelled():
        future.exception()  # observed: no "exception was never retrieved"


class Run:
    """One execution: what ``build_resolve_info`` reads from graphql-core's executor."""

    __slots__ = (
        "context_value",
        "operation",
        "operation_extensions",
        "root_value",
        "schema",
        "variable_values",
    )
    fragment_definitions: dict[str, Any] = {}  # noqa: RUF012  (none: no fragments compile)
    async_helpers = HELPERS
    is_awaitable = staticmethod(optimized_is_awaitable)
    abort_signal = None

    def __init__(  # noqa: PLR0913
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        variable_values: Any,
        root_value: Any,
        context_value: Any,
        operation_extensions: Any,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.variable_values = variable_values
        self.root_value = root_value
        self.context_value = context_value
        self.operation_extensions = operation_extensions


# The info graphql-core's executor would hand a resolver (Strawberry's, as QueryExecutor's).
build_resolve_info: Callable[..., Any] = QueryExecutor.build_resolve_info


class CompiledOperation:
    """A query operation compiled by :func:`compile_operation`."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        root: GraphQLObjectType,
        fields: tuple[RootField, ...],
        leaf_variables: Any,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.root = root
        self.fields = fields
        self.leaf_variables = leaf_variables

    def coerce_variables(self, inputs: dict[str, Any]) -> VariableValues | list[GraphQLError]:
        """graphql-core's ``get_variable_values``; variables of scalar and enum types
        given valid values are coerced here as it coerces them, anything else by it (and
        every error is its own)."""
        if self.leaf_variables is not None:
            sources: dict[str, Any] = {}
            coerced: dict[str, Any] = {}
            for name, signature, required in self.leaf_variables:
                value = inputs.get(name, Undefined)
                if value is Undefined:
                    if required:
                        break
                    sources[name] = VariableValueSource(signature)
                    continue
                sources[name] = VariableValueSource(signature, value)
                try:
                    value = coerce_input_value(value, signature.type)
                except Exception:  # graphql-core reports it
                    break
                if value is Undefined:
                    break
                coerced[name] = value
            else:
                return VariableValues(sources, coerced)
        return get_variable_values(
            self.schema,
            self.operation.variable_definitions or (),
            inputs,
            max_errors=MAX_COERCION_ERRORS,
        )

    async def execute(
        self,
        root_value: Any,
        context_value: Any,
        variables: dict[str, Any] | None,
        middleware: MiddlewareManager | None,
        operation_extensions: Any,
    ) -> ExecutionResult:
        """The result graphql-core's ``execute`` gives for this operation."""
        variable_values = self.coerce_variables(variables or {})
        if isinstance(variable_values, list):
            return ExecutionResult(data=None, errors=variable_values)
        run = Run(
            self.schema,
            self.operation,
            variable_values,
            root_value,
            context_value,
            operation_extensions,
        )
        errors = Errors()
        try:
            data = await self._root_fields(run, middleware, errors)
        except GraphQLError as error:
            errors.add(error, None)
            data = None
        return ExecutionResult(data, errors.errors or None)

    async def _root_fields(
        self, run: Run, middleware: MiddlewareManager | None, errors: Errors
    ) -> dict[str, Any]:
        # graphql-core's execute_fields: every root field started, then the awaitables
        # awaited together.
        results: dict[str, Any] = {}
        pending: list[str] = []
        try:
            for field in self.fields:
                result = self._root_field(run, field, middleware, errors)
                results[field.key] = result
                if optimized_is_awaitable(result):
                    pending.append(field.key)
        except Exception:
            if pending:
                settle_in_background([results[key] for key in pending])
            raise
        if len(pending) == 1:
            results[pending[0]] = await results[pending[0]]
        elif pending:
            values = await gather_with_cancel(*(results[key] for key in pending))
            results.update(zip(pending, values, strict=True))
        return results

    def _root_field(
        self, run: Run, field: RootField, middleware: MiddlewareManager | None, errors: Errors
    ) -> Any:
        # graphql-core's execute_field.
        definition = field.definition
        resolve = definition.resolve
        assert resolve is not None  # a server function's field has its resolver
        if middleware is not None:
            resolve = middleware.get_field_resolver(resolve)
        path = Path(None, field.key, self.root.name)
        info = build_resolve_info(run, definition, field.nodes, self.root, path)
        try:
            args = (
                get_argument_values(definition, field.nodes[0], run.variable_values)
                if field.needs_arguments
                else {}
            )
            result = resolve(run.root_value, info, **args)
            if optimized_is_awaitable(result):
                return self._complete_awaited(field, path, result, errors)
            return field.complete(result, path, errors)
        except Exception as raw:
            errors.handle(raw, field.return_type, field.nodes, path)
            return None

    @staticmethod
    async def _complete_awaited(field: RootField, path: Path, result: Any, errors: Errors) -> Any:
        try:
            return field.complete(await result, path, errors)
        except Exception as raw:
            errors.handle(raw, field.return_type, field.nodes, path)
            return None
