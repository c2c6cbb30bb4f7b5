"""Execute a broadcast's selection set once per distinct operation, not once per subscriber.

The channels' hub hands one layer message to every local subscription of its group; each
subscription validates it (once per message) and yields the same ``DjangoMessage``
instance, after calling :func:`share` on it. Strawberry then executes the subscription's
selection set on it for every subscriber. When the message type resolves nothing but its
own attributes (no resolvers, permission classes or field extensions anywhere in it, see
:func:`shareable`), the result only depends on the message, the document, the operation
name and the variables: :class:`SharedEventExecutor` computes it for the first subscriber
and hands the same ``data`` to the others with the same operation. Everything per
subscriber stays as it was: authorization and its re-check, the bounded queue, extension
hooks, error results (never shared) and the send on each socket.

On graphql-core 3.2 Strawberry hands subscriptions no executor class: every subscriber's
event is executed on its own, as without sharing, and every operation runs on
Strawberry's executor as it is.
"""

from __future__ import annotations

import json
import weakref
from typing import Any

from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.base import StrawberryContainer, get_object_definition
from strawberry.types.lazy_type import LazyType
from strawberry.types.union import StrawberryUnion
from strawberry_django.optimizer import DjangoOptimizerExtension

from .executors import QueryExecutor
from .private import GRAPHQL_CORE_32, StrawberryGraphQLCoreExecutionContext

__all__ = ["SharedEventExecutor", "extensions_allow_sharing", "share", "shareable"]

# id(message) -> {operation key: result data}, for messages yielded to several subscribers;
# an entry goes when its message is garbage collected.
_results: dict[int, dict[tuple[Any, ...], Any]] = {}


def share(message: Any) -> None:
    """Let subscriptions receiving ``message`` share their execution results."""
    key = id(message)
    if key not in _results:
        _results[key] = {}
        weakref.finalize(message, _results.pop, key, None)


def shareable(output: Any) -> bool:
    """Whether results of ``output`` depend on nothing but the value and the operation."""
    return _plain(output, set())


def _plain(tp: Any, seen: set[int]) -> bool:
    if isinstance(tp, LazyType):
        tp = tp.resolve_type()
    if isinstance(tp, StrawberryContainer):
        return _plain(tp.of_type, seen)
    if isinstance(tp, StrawberryUnion):
        return all(_plain(t, seen) for t in tp.types)
    definition = get_object_definition(tp)
    if definition is None:
        return True  # scalars and enums
    if id(definition) in seen:
        return True
    seen.add(id(definition))
    return all(
        field.base_resolver is None
        and not field.permission_classes
        and not field.extensions
        and _plain(field.type, seen)
        for field in definition.fields
    )


def extensions_allow_sharing(extensions: list[Any]) -> bool:
    """No schema extension (besides the query optimizer) wraps field resolution."""
    for extension in extensions:
        cls = extension if isinstance(extension, type) else type(extension)
        cls = getattr(extension, "func", cls)  # functools.partial(Extension, ...)
        if not isinstance(cls, type) or issubclass(cls, DjangoOptimizerExtension):
            continue
        if getattr(cls, "resolve", SchemaExtension.resolve) is not SchemaExtension.resolve:
            return False
    return True


class _SharedEventExecutor(QueryExecutor):  # type: ignore[misc,valid-type]
    """Strawberry's executor without incremental delivery (the schema has no ``@defer`` or
    ``@stream``), reusing the result of a shared message for equal operations (and, like
    every mizan executor, freed when its response is built).

    A subscription keeps its executor for its whole life (each event runs on a copy): the
    plain executor holds none of the incremental one's plan caches and work lists.
    """

    def execute_operation(self, serially: bool | None = None) -> Any:
        cache = _results.get(id(self.root_value)) if serially is False else None
        if cache is None:
            return super().execute_operation(serially)
        operation = self.operation
        if operation.loc is None:
            return super().execute_operation(serially)
        # graphql-core's VariableValues: the coerced values (and where each came from).
        coerced = getattr(self.variable_values, "coerced", self.variable_values)
        try:
            variables = json.dumps(coerced, sort_keys=True)
        except (TypeError, ValueError):
            return super().execute_operation(serially)
        key = (
            operation.loc.source.body,
            operation.name.value if operation.name else None,
            variables,
        )
        data = cache.get(key)
        if data is not None:
            return ExecutionResult(data=data)
        result = super().execute_operation(serially)
        if isinstance(result, ExecutionResult) and not result.errors and result.data is not None:
            cache[key] = result.data
        return result


class _Strawberrys32Executor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core 3.2: Strawberry's executor as it is (subscriptions never get one)."""


SharedEventExecutor: type = _Strawberrys32Executor if GRAPHQL_CORE_32 else _SharedEventExecutor
