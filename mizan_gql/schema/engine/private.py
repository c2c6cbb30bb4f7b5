"""Every private or internal name of a dependency that mizan_gql relies on, in one list.

Strawberry, strawberry-django, graphql-core, Channels and Django document public APIs; the
names below are not part of them, so a release may rename or remove any of them without
notice. Each is listed here with what mizan_gql uses it for, and code anywhere in the
package reaches it only through this module (or a module of this package that imports it
from here). ``tests/schema/test_private_names.py`` checks every entry against the installed
releases and fails with a message naming the entry and its use, so an upgrade that breaks
one fails CI instead of a request. pyproject.toml bounds Strawberry and strawberry-django
to the minor releases CI tests.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from weakref import WeakSet

from asgiref.sync import AsyncToSync
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from graphql import GraphQLError, GraphQLSchema, version_info
from strawberry.schema import schema as strawberry_schema
from strawberry.schema._graphql_core import execution_context_class_kwargs
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, _coerce_error
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

STRAWBERRY_RELEASE = tuple(int(part) for part in version("strawberry-graphql").split(".")[:2])

# graphql-core 3.2 is what graphene-django 3 runs on (docs/migrating.md); 3.3 is the
# default. Where they differ, the adapter asks this.
GRAPHQL_CORE_32 = version_info < (3, 3)

if GRAPHQL_CORE_32:
    from graphql.utilities import coerce_input_value

    def validate_input_value(
        input_value: Any, type_: Any, on_error: Any, hide_suggestions: bool = False
    ) -> None:
        """graphql-core 3.3's ``validate_input_value`` made of 3.2's public
        ``coerce_input_value``: each error of the value, with its path."""

        def report(path: Any, invalid_value: Any, error: GraphQLError) -> None:
            on_error(error, list(path))

        coerce_input_value(input_value, type_, report, hide_suggestions=hide_suggestions)  # type: ignore[call-arg]

    # Compiled queries need graphql-core 3.3's variable signatures: on 3.2 nothing compiles.
    get_variable_signature: Any = None
    VariableValueSource: Any = None

else:
    from graphql.execution.get_variable_signature import (  # type: ignore[no-redef]
        get_variable_signature,
    )
    from graphql.execution.values import VariableValueSource  # type: ignore[no-redef]
    from graphql.utilities.validate_input_value import (  # type: ignore[no-redef]
        validate_input_value,
    )

__all__ = [
    "GRAPHQL_CORE_32",
    "PRIVATE_NAMES",
    "ListenStateOnFirstUse",
    "STRAWBERRY_VALIDATION_RULES",
    "PrivateName",
    "StrawberryGraphQLCoreExecutionContext",
    "VariableValueSource",
    "coerce_error",
    "csrf_failure_reason",
    "execute_function",
    "execution_context_class_kwargs",
    "get_variable_signature",
    "graphql_schema",
    "is_basic_resolver",
    "scalar_definition",
    "validate",
    "validate_input_value",
    "without_sync_caller",
]


@dataclass(frozen=True)
class PrivateName:
    """A name of a dependency that is not public API: where it lives and what uses it."""

    owner: str  # dotted path of the module or class holding it
    name: str  # the attribute (of the module, the class, or its instances)
    use: str  # what mizan_gql uses it for
    on_instances: bool = False  # set in __init__, so only instances have it
    parameters: tuple[str, ...] = ()  # for callables: parameters mizan_gql passes or overrides
    graphql_core: str = ""  # "3.2" or "3.3": used only on that graphql-core (else on both)
    strawberry: str = ""  # the first Strawberry minor release that has it ("": every one)

    @property
    def in_use(self) -> bool:
        """Whether mizan_gql uses the name with the installed graphql-core and Strawberry."""
        if self.strawberry and tuple(map(int, self.strawberry.split("."))) > STRAWBERRY_RELEASE:
            return False
        return not self.graphql_core or self.graphql_core == ("3.2" if GRAPHQL_CORE_32 else "3.3")


PRIVATE_NAMES: tuple[PrivateName, ...] = (
    # -- Strawberry: the schema and its execution --------------------------------------
    PrivateName(
        "strawberry.schema.schema.Schema",
        "_schema",
        "the graphql-core schema of a Strawberry schema (graphql_schema())",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.schema.schema.Schema",
        "_create_execution_context",
        "the execution context of an operation: MizanSchema makes it a MizanExecutionContext, "
        "which chooses the operation as the GraphQL spec does (execution.py)",
        parameters=(
            "query",
            "allowed_operation_types",
            "variable_values",
            "context_value",
            "root_value",
            "operation_name",
            "operation_extensions",
        ),
    ),
    PrivateName(
        "strawberry.schema.schema.Schema",
        "_get_execute_function",
        "graphql-core's execute function as the schema's configuration picks it (prepared)",
    ),
    PrivateName(
        "strawberry.schema._graphql_core",
        "execution_context_class_kwargs",
        "how graphql-core is handed an executor class (prepared queries)",
        parameters=("execution_context_class",),
    ),
    PrivateName(
        "strawberry.schema.schema",
        "_coerce_error",
        "an exception of execution as the GraphQL error Strawberry makes of it",
        parameters=("error",),
    ),
    PrivateName(
        "strawberry.schema.schema",
        "StrawberryGraphQLCoreExecutionContext",
        "Strawberry's executor: the base of SharedEventExecutor on graphql-core 3.2",
    ),
    PrivateName(
        "strawberry.schema.schema.StrawberryGraphQLCoreExecutionContext",
        "build_resolve_info",
        "the info resolvers receive (operation_extensions), reused by QueryExecutor",
        parameters=("field_def", "field_nodes", "parent_type", "path"),
    ),
    PrivateName(
        "strawberry.schema.schema",
        "validate",
        "graphql-core's validate as Strawberry calls it (DocumentLimits validates with it)",
    ),
    PrivateName(
        "strawberry.schema.validation_rules.maybe_null",
        "MaybeNullValidationRule",
        "a rule Strawberry adds to validation, which DocumentLimits runs itself",
    ),
    PrivateName(
        "strawberry.schema.validation_rules.one_of",
        "OneOfInputValidationRule",
        "a rule Strawberry adds to validation, which DocumentLimits runs itself",
    ),
    # -- Strawberry: the extension runner (FastExtensionsRunner) ------------------------
    PrivateName(
        "strawberry.extensions.context.OperationContextManager",
        "HOOK_NAME",
        "the stage of a hook context manager (runner.py resolves hooks per class)",
    ),
    PrivateName(
        "strawberry.extensions.context.ExtensionContextManagerBase",
        "get_hook",
        "Strawberry's wrapping of plain-callable hooks (runner.py)",
        parameters=("extension",),
    ),
    PrivateName(
        "strawberry.extensions.context.ExtensionContextManagerBase",
        "hooks",
        "the wrapped hooks a stage enters (runner.py sets them)",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.extensions.context.ExtensionContextManagerBase",
        "default_hook",
        "SchemaExtension's no-op hook of a stage (runner.py sets it)",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.extensions.context.ExtensionContextManagerBase",
        "exit_stack",
        "the synchronous exit stack of a stage (runner.py unwinds it in async stages)",
    ),
    PrivateName(
        "strawberry.extensions.context",
        "WrappedHook",
        "one hook bound to its extension (runner.py builds them)",
    ),
    # -- Strawberry: types, codegen, Channels consumer ---------------------------------
    PrivateName(
        "strawberry.types.scalar.ScalarWrapper",
        "_scalar_definition",
        "recognising a Strawberry scalar used as a parameter or result type",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.codegen.query_codegen.QueryCodegen",
        "_get_field",
        "field names as on the wire in the generated client (codegen adapter)",
        parameters=("selection", "class_name", "parent_type"),
    ),
    PrivateName(
        "strawberry.codegen.query_codegen.QueryCodegen",
        "_collect_type_from_strawberry_type",
        "input field names as on the wire in the generated client (codegen adapter)",
        parameters=("strawberry_type",),
    ),
    PrivateName(
        "strawberry.codegen.query_codegen.QueryCodegen",
        "_collect_enum",
        "enum values as on the wire in the generated client (codegen adapter)",
        parameters=("enum",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_get_type_name",
        "TypeScript spelling of types (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_print_type",
        "printing one type (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_print_object_type",
        "printing an object type (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_print_enum_type",
        "printing an enum (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_print_scalar_type",
        "printing a scalar (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.codegen.plugins.typescript.TypeScriptPlugin",
        "_print_union_type",
        "printing a union (codegen adapter)",
        parameters=("type_",),
    ),
    PrivateName(
        "strawberry.http.async_base_view.AsyncBaseHTTPView",
        "_handle_errors",
        "the view's hook for a result's errors (Sentry's integration patches it), which "
        "GraphQLView calls for prepared queries as Strawberry's run() does and overrides to "
        "report nothing (the schema logs unexpected errors)",
        parameters=("errors", "response_data"),
    ),
    PrivateName(
        "strawberry.channels.handlers.ws_handler.GraphQLWSConsumer",
        "message_queue",
        "ending the protocol handler when the consumer closes an oversized frame; the "
        "consumer puts a Mailbox there (an idle socket holds no asyncio.Queue)",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.subscriptions.protocols.graphql_transport_ws.handlers"
        ".BaseGraphQLTransportWSHandler",
        "connection_init_timeout_task",
        "the init timeout task Strawberry cancels at connection_init: the handler lets go "
        "of it (its CancelledError's traceback holds frames)",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.channels.handlers.base.ChannelsConsumer",
        "listen_queues",
        "the consumer's listen_to_channel() state, made on first use (ListenStateOnFirstUse)",
        on_instances=True,
    ),
    PrivateName(
        "strawberry.channels.handlers.base.ChannelsConsumer",
        "_group_refs",
        "the consumer's listen_to_channel() state, made on first use (ListenStateOnFirstUse)",
        on_instances=True,
        strawberry="0.341",
    ),
    PrivateName(
        "strawberry.channels.handlers.base.ChannelsConsumer",
        "_group_lock",
        "the consumer's listen_to_channel() state, made on first use (ListenStateOnFirstUse)",
        on_instances=True,
        strawberry="0.341",
    ),
    PrivateName(
        "strawberry.channels.handlers.ws_handler.GraphQLWSConsumer",
        "run_task",
        "whether the protocol handler started (disconnect before connect)",
        on_instances=True,
    ),
    # -- graphql-core: the executor ------------------------------------------------------
    PrivateName(
        "graphql.execution.execute.Executor",
        "async_helpers",
        "released once a response is built, ending a reference cycle (executors.py)",
        on_instances=True,
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.execute.Executor",
        "background_futures",
        "work still running after the response (executors.py)",
        on_instances=True,
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.execute.Executor",
        "async_work_finished_hook_task",
        "work still running after the response (executors.py)",
        on_instances=True,
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.execute.Executor",
        "build_response",
        "the point where a response is complete (executors.py)",
        parameters=("data",),
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.execute.Executor",
        "execute_operation",
        "reusing the result of a broadcast for equal operations (sharing.py)",
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.values.VariableValues",
        "coerced",
        "the coerced variables of an operation, part of a shared result's key (sharing.py)",
        on_instances=True,
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.utilities.validate_input_value",
        "validate_input_value",
        "each bad field of a form's input, for extensions.fieldErrors (forms)",
        parameters=("input_value", "type_", "on_error"),
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.get_variable_signature",
        "get_variable_signature",
        "a variable's name and type, worked out once per compiled query",
        parameters=("schema", "var_def_node"),
        graphql_core="3.3",
    ),
    PrivateName(
        "graphql.execution.values",
        "VariableValueSource",
        "where a coerced variable came from, as graphql-core records it (compiled queries)",
        graphql_core="3.3",
    ),
    # -- Django ----------------------------------------------------------------------------
    PrivateName(
        "django.middleware.csrf.CsrfViewMiddleware",
        "_reject",
        "the reason of a CSRF failure, for the error of a refused mutation",
        parameters=("request", "reason"),
    ),
    PrivateName(
        "asgiref.sync.AsyncToSync",
        "executors",
        "the executor of a synchronous caller, left out of SSE operations that outlive the "
        "view (without_sync_caller)",
    ),
)
# Not an attribute, so not in the list above: the name of Strawberry's resolver of a basic
# field (is_basic_resolver), checked by tests/schema/test_private_names.py too.
BASIC_RESOLVER_NAME = "_get_basic_result"


def is_basic_resolver(resolve: Any) -> bool:
    """Whether a graphql-core field's resolver is Strawberry's for a basic field: the
    source's attribute, read without ``info`` (compiled queries read it the same way)."""
    return getattr(resolve, "__name__", None) == BASIC_RESOLVER_NAME


def without_sync_caller() -> contextvars.Context:
    """A copy of the current context without asgiref's executor of a synchronous caller.

    Behind a synchronous-only middleware Django runs an async view inside ``async_to_sync``,
    whose ``CurrentThreadExecutor`` quits when the view returns; work that outlives the view
    (an SSE operation) would send its thread-sensitive ``sync_to_async`` calls there and
    fail ("CurrentThreadExecutor already quit or is broken"). Without it they go to the
    request's thread-sensitive context, as under an async-capable middleware stack.
    """
    context = contextvars.copy_context()
    context.run(setattr, AsyncToSync.executors, "current", None)
    return context


def graphql_schema(schema: Any) -> GraphQLSchema:
    """The graphql-core schema a Strawberry schema executes against."""
    return schema._schema  # type: ignore[no-any-return]


def execute_function(schema: Any) -> Any:
    """graphql-core's ``execute`` (or its incremental form) as ``schema`` runs operations."""
    return schema._get_execute_function()


def coerce_error(error: Exception) -> GraphQLError:
    """An exception raised while executing, as Strawberry reports it in a result."""
    return _coerce_error(error)


# The rules Strawberry adds to graphql-core's specified ones when it validates.
STRAWBERRY_VALIDATION_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


def validate(schema: Any, document: Any, rules: Any, **options: Any) -> list[GraphQLError]:
    """graphql-core's ``validate``, called the way Strawberry calls it (through its module),
    with Strawberry's own rules added to ``rules``."""
    return strawberry_schema.validate(  # type: ignore[no-any-return]
        graphql_schema(schema), document, (*rules, *STRAWBERRY_VALIDATION_RULES), **options
    )


def scalar_definition(annotation: Any) -> Any:
    """The Strawberry scalar definition of ``annotation``, or None."""
    return getattr(annotation, "_scalar_definition", None)


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering the reason of a failure instead of a response.

    Django hands the reason only to ``_reject`` (which logs it and renders the failure
    view); the public ``process_view`` returns the rendered 403 page.
    """

    def _reject(self, request: HttpRequest, reason: str) -> Any:
        super()._reject(request, reason)  # type: ignore[misc]  # logs like Django does
        return reason


def csrf_failure_reason(request: HttpRequest) -> str | None:
    """Why Django's CSRF protection refuses ``request``, or None when it passes."""
    reason = _CsrfCheck(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
    return None if reason is None else str(reason)


def parameters_of(func: Any) -> tuple[str, ...]:
    """The parameter names of ``func`` (without ``self``), for the guard test."""
    return tuple(p for p in inspect.signature(func).parameters if p != "self")


class _OnFirstUse:
    """An instance attribute that ``factory`` makes when it is first read."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.factory()
        return value


class ListenStateOnFirstUse:
    """For a subclass of Strawberry's ``ChannelsConsumer``: the state its
    ``listen_to_channel()`` and ``dispatch()`` keep (a queue set per message type, group
    reference counts and a lock; ``_group_refs`` and ``_group_lock`` since Strawberry 0.341)
    is made when first used, not for every socket, most of which never listen."""

    listen_queues = _OnFirstUse(lambda: defaultdict(WeakSet))
    _group_refs = _OnFirstUse(Counter)
    _group_lock = _OnFirstUse(asyncio.Lock)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("listen_queues", "_group_refs", "_group_lock"):
            self.__dict__.pop(name, None)  # made again by the class's _OnFirstUse
