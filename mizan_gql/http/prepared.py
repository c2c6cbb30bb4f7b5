"""Prepared queries: a query this process has already parsed and validated runs straight
on graphql-core.

Strawberry's request pipeline (request adapter, execution context, a fresh instance of
every schema extension, four extension stages) costs more than the execution of a small
query. Once the full pipeline has parsed and validated a document - a persisted hash, a
generated operation, or the same text sent again - a query of it only still needs what
those extensions do *around* execution, and this path does exactly that with the same
functions the extensions call:

* the persisted-query rules (mode, hash checks) - :func:`mizan_gql.persisted.resolve`;
* strawberry-django's optimizer, as resolver middleware with its context variable set;
* the context cache policy and invalidation report - :func:`mizan_gql.contexts.report`;
* logging, form-input folding and ``extensions.code`` / masking of errors.

It executes with graphql-core's plain executor (:mod:`mizan_gql.schema.executor`): the
schema has no ``@defer``/``@stream``, so Strawberry's incremental one has nothing more to do.

Everything else takes the full path, which answers as it always did: a document not
validated yet (or with errors), a mutation or subscription, a batch, an upload, a
streaming ``Accept``, an unacceptable request, a refused persisted query, a project's own
schema extensions, or a subclass of the view that overrides how requests are handled.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import OperationDefinitionNode, OperationType, get_operation_ast
from graphql.execution import MiddlewareManager
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.schema._graphql_core import execution_context_class_kwargs
from strawberry.schema.schema import _coerce_error
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType
from strawberry_django.optimizer import optimizer as _optimizer

from ..contexts.cache import recording_uses
from ..contexts.extension import ContextsExtension, invalidation_results, report
from ..contexts.invalidation import collecting
from ..forms.input_errors import FormInputErrors, fold_form_input_errors
from ..persisted import PersistedQueries
from ..persisted.documents import CachedDocument, document_cache
from ..persisted.errors import PersistedQueryError
from ..persisted.extension import resolve
from ..schema.errors import ErrorCodes, code_errors
from ..schema.executor import QueryExecutor
from ..schema.limits import DocumentLimits
from .decoding import decode_json

__all__ = ["run_prepared"]

QUERY_ONLY = (StrawberryOperationType.QUERY,)
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
# What the full path would stream rather than answer as one JSON document.
STREAMING = ("multipart/mixed", "text/event-stream")
# The usual Accept headers, known to allow a JSON answer without parsing them.
PLAIN_ACCEPTS = frozenset(("*/*", "application/json", GRAPHQL_RESPONSE_JSON))


@dataclass(frozen=True)
class _Plan:
    """How a schema's prepared queries execute (worked out once per schema)."""

    middleware: MiddlewareManager | None
    optimizer: Any  # strawberry-django's DjangoOptimizerExtension instance, or None
    executor_kwargs: dict[str, Any]


def _our_extensions() -> tuple[type, ...]:
    from strawberry.extensions import AddValidationRules

    from ..channels.errors import StreamErrorCodes
    from ..forms.uploads import MultipartPreflight
    from .csrf import MutationCSRF

    # MutationCSRF and MultipartPreflight only act on mutations and uploads, the
    # stream codes on streams, DocumentLimits and validation rules before execution:
    # none of them has anything to do for a validated query answered as one document.
    return (
        PersistedQueries,
        ErrorCodes,
        StreamErrorCodes,
        MutationCSRF,
        MultipartPreflight,
        FormInputErrors,
        ContextsExtension,
        DocumentLimits,
        AddValidationRules,
    )


def _plan(schema: Any) -> _Plan | None:
    """The schema's plan, or None when it has extensions this path cannot stand in for."""
    try:
        return schema._mizan_prepared  # type: ignore[no-any-return]
    except AttributeError:
        pass
    from strawberry_django.optimizer import DjangoOptimizerExtension

    ours = _our_extensions()
    optimizer = None
    plan: _Plan | None = None
    for extension in schema.extensions:
        cls = extension.func if isinstance(extension, functools.partial) else extension
        cls = cls if isinstance(cls, type) else type(cls)
        if issubclass(cls, DjangoOptimizerExtension) and optimizer is None:
            # Its resolve hook and context variable only read its options: one instance
            # serves every request (Strawberry builds one per request for extensions
            # in general, which may keep per-request state).
            optimizer = extension() if isinstance(extension, type) else extension
        elif cls not in ours or not issubclass(cls, SchemaExtension):
            break
    else:
        plan = _Plan(
            middleware=MiddlewareManager(optimizer) if optimizer is not None else None,
            optimizer=optimizer,
            executor_kwargs=_executor_kwargs(schema),
        )
    schema._mizan_prepared = plan
    return plan


def _executor_kwargs(schema: Any) -> dict[str, Any]:
    """QueryExecutor in place of the executor mizan's schema is built with (which only
    differs from Strawberry's for subscription events); any other class is kept."""
    from ..channels.shared import SharedEventExecutor  # imported by the schema builder too

    executor_class = schema.execution_context_class
    if executor_class is SharedEventExecutor and not (
        schema.config.enable_experimental_incremental_execution
    ):
        executor_class = QueryExecutor
    return execution_context_class_kwargs(executor_class)


# The view methods the prepared path stands in for (how a request is read and executed):
# a subclass overriding any of them keeps the full path.
_REPLACED = (
    "run",
    "parse_http_body",
    "parse_json",
    "decode_json",
    "parse_query_params",
    "execute_operation",
    "execute_single",
    "should_render_graphql_ide",
)


_allowed_views: dict[type, bool] = {}


def _view_allows(view_class: type) -> bool:
    allowed = _allowed_views.get(view_class)
    if allowed is None:
        from .views import GraphQLView

        allowed = _allowed_views[view_class] = all(
            getattr(view_class, name) is getattr(GraphQLView, name) for name in _REPLACED
        )
    return allowed


def _read(view: Any, request: HttpRequest) -> tuple[Any, Any, Any, Any] | None:
    """(query, variables, operationName, extensions) of a simple JSON request, or None."""
    accept = request.META.get("HTTP_ACCEPT")
    if accept is not None and accept not in PLAIN_ACCEPTS:
        if any(kind in accept for kind in STREAMING):
            return None
        if not (request.accepts("application/json") or request.accepts(GRAPHQL_RESPONSE_JSON)):
            return None
    method = request.method
    if method == "GET":
        if not view.allow_queries_via_get:
            return None
        query, variables, name, extensions = _query_params(request)
        try:
            data: Any = {
                "query": query,
                "variables": decode_json(variables) if variables else None,
                "operationName": name,
                "extensions": decode_json(extensions) if extensions else None,
            }
        except ValueError:
            return None
    elif method == "POST" and request.content_type == "application/json":
        try:
            data = decode_json(request.body)
        except Exception:  # malformed or too large: the full path answers the right error
            return None
        if not isinstance(data, dict):
            return None
    else:
        return None
    query, variables, name, extensions = (
        data.get("query"),
        data.get("variables"),
        data.get("operationName"),
        data.get("extensions"),
    )
    if not (
        isinstance(query, (str, type(None)))
        and isinstance(variables, (dict, type(None)))
        and isinstance(name, (str, type(None)))
        and isinstance(extensions, (dict, type(None)))
    ):
        return None
    return query, variables, name, extensions


# Query strings seen lately (persisted GETs repeat theirs): their decoded parameters.
MAX_QUERY_STRINGS = 1024
_query_strings: dict[str, tuple[str | None, ...]] = {}


def _query_params(request: HttpRequest) -> tuple[str | None, ...]:
    """query, variables (JSON), operationName and extensions (JSON) of a GET."""
    raw = request.META.get("QUERY_STRING", "")
    found = _query_strings.get(raw)
    if found is None:
        params = request.GET
        found = tuple(
            params.get(name) for name in ("query", "variables", "operationName", "extensions")
        )
        if len(_query_strings) >= MAX_QUERY_STRINGS:
            _query_strings.clear()
        _query_strings[raw] = found
    return found


def _prepared_document(
    schema: Any, query: str | None, extensions: dict[str, Any] | None
) -> CachedDocument | None:
    """The parsed document of a request, if the full path has validated it without errors."""
    try:
        found = resolve(schema, query, extensions)
    except PersistedQueryError:
        return None
    if found is None or found.register:
        return None
    cache = document_cache(schema)
    entry = cache.get(found.sha256)
    if entry is None or entry.document is None or cache.rules_key is None:
        return None
    if entry.validations.get(cache.rules_key) != []:
        return None
    if found.known_registered:
        entry.registered = True
    return entry


def _operation(entry: CachedDocument, name: str | None) -> OperationDefinitionNode | None:
    """The operation ``name`` picks in the document (None if it picks none), looked up once."""
    try:
        return entry.operations[name]  # type: ignore[no-any-return]
    except KeyError:
        assert entry.document is not None
        node = get_operation_ast(entry.document, name)
        if len(entry.operations) < 16:  # names are the client's: stay bounded
            entry.operations[name] = node
        return node


async def run_prepared(view: Any, request: HttpRequest) -> HttpResponseBase | None:
    """Answer ``request`` on the prepared path, or None to let the full path answer."""
    schema = view.schema
    plan = _plan(schema)
    if plan is None or not _view_allows(type(view)):
        return None
    read = _read(view, request)
    if read is None:
        return None
    query, variables, operation_name, extensions = read
    entry = _prepared_document(schema, query, extensions)
    if entry is None:
        return None
    operation = _operation(entry, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None  # mutations (CSRF, 405 over GET) and subscriptions: the full path

    sub_response = await view.get_sub_response(request)
    context = await view.get_context(request, response=sub_response)
    root_value = await view.get_root_value(request)
    with collecting() as invalidations, recording_uses() as uses:
        # What DjangoOptimizerExtension.on_execute does around execution.
        token = _optimizer.set(plan.optimizer) if plan.optimizer is not None else None
        try:
            result = schema._get_execute_function()(
                schema._schema,
                entry.document,
                root_value=root_value,
                middleware=plan.middleware,
                variable_values=variables,
                operation_name=operation_name,
                context_value=context,
                is_awaitable=optimized_is_awaitable,
                **plan.executor_kwargs,
                **schema._get_custom_context_kwargs(extensions),
            )
            if isawaitable(result):
                result = await result
        except Exception as exc:  # what Strawberry turns into an error result, too
            result = GraphQLExecutionResult(data=None, errors=[_coerce_error(exc)])
        finally:
            if token is not None:
                _optimizer.reset(token)
    if result.errors or uses or invalidations:
        # What the extensions do after an operation, in the order they do it.
        execution_context = ExecutionContext(
            query=entry.text,
            schema=schema,
            allowed_operations=QUERY_ONLY,
            context=context,
            variables=variables,
            root_value=root_value,
            provided_operation_name=operation_name,
            operation_extensions=extensions,
        )
        execution_context.graphql_document = entry.document
        execution_context.result = result
        if result.errors:
            execution_context.pre_execution_errors = result.errors
            schema.process_errors(result.errors, execution_context)  # logs unexpected ones
        report(execution_context, invalidations, uses)
        fold_form_input_errors(execution_context)
        code_errors(result, executed=True)
    final = ExecutionResult(
        data=result.data, errors=result.errors, extensions=invalidation_results(invalidations)
    )
    response_data = await view.process_result(request, final)
    if final.errors:
        view._handle_errors(final.errors, response_data)
    return view.create_response(response_data=response_data, sub_response=sub_response)  # type: ignore[no-any-return]
