"""The ``/graphql`` endpoint: Strawberry's async Django view, made safe and lazy.

One async view serves both stacks (Django runs it through ``async_to_sync`` under WSGI).
The schema is built on the first request; every refusal is a JSON body with a code. How a
request executes (prepared queries included) is the schema's business: the view reads
requests and writes responses, like Strawberry's own.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from cross_web import HTTPException
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import AsyncGraphQLView, TemporalHttpResponse
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from ..conf import mizan_settings
from ..constants import CSRF_FAILED, GRAPHQL_RESPONSE_JSON
from ..decoding import JSONRefused, decode_json
from ..exceptions import MizanError
from ..forms.uploads import CrossOriginUpload, UploadTooLarge, limit_uploads, refuse_cross_origin
from ..persisted.requests import DOCUMENT_ID_FIELDS, fold_document_id
from ..responses import error_response, too_many_parts
from ..schema import get_schema
from .caching import secure_cache_headers
from .graphiql import render_graphiql
from .reading import plain_request, query_params

__all__ = ["GraphQLView", "SubResponse"]

logger = logging.getLogger("mizan_gql")

# Media types a GraphQL response can be sent as (JSON, or Strawberry's streaming transports).
ACCEPTABLE = ("application/json", GRAPHQL_RESPONSE_JSON, "multipart/mixed", "text/event-stream")


# A subscription is a stream of results; a plain HTTP response holds one.
NO_SUBSCRIPTIONS = (
    "Subscriptions are not served over plain HTTP: subscribe over the WebSocket "
    "(graphql-transport-ws) at this URL, or over Server-Sent Events (graphql-sse) at its "
    "/stream."
)


class SubResponse(TemporalHttpResponse):
    """What resolvers see as ``info.context.response``: headers, cookies and a status
    for the real response, which ``GraphQLView.create_response`` makes of it."""

    def __init__(self) -> None:
        HttpResponse.__init__(self, content_type="application/json")


class GraphQLView(AsyncGraphQLView):
    """Serve the mizan_gql schema over HTTP (POST JSON, GET queries, GraphiQL)."""

    allow_queries_via_get = True

    def __init__(self, **kwargs: Any) -> None:
        # Forms: GraphQL multipart requests (file uploads) when MIZAN["UPLOADS"] is on.
        kwargs.setdefault("multipart_uploads_enabled", mizan_settings.UPLOADS)
        super().__init__(
            schema=None,  # type: ignore[arg-type]  # built lazily in dispatch
            graphql_ide="graphiql" if mizan_settings.GRAPHIQL else None,
            **kwargs,
        )

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:  # type: ignore[override]
        return csrf_exempt(super().as_view(**initkwargs))

    def should_render_graphql_ide(self, request: Any) -> bool:
        if self.request.method != "GET":
            return False
        params = query_params(self.request)  # reading.py parsed them for the request
        # A GET carrying only a persisted-query hash (or a documentId) is an operation,
        # not a browser visit.
        if (
            "extensions" in params
            or any(name in params for name in DOCUMENT_ID_FIELDS)
            or params.get("query") is not None
        ):
            return False
        return super().should_render_graphql_ide(request)

    async def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        return render_graphiql(request)  # from the package's static files, not a CDN

    async def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        try:
            self.schema = get_schema()
        except MizanError:  # registry or settings mistakes; `manage.py check` lists them
            logger.exception("The mizan_gql schema could not be built")
            return error_response(500, "The GraphQL schema is misconfigured; see the server log.")
        try:
            # A query of a document the schema validated before skips Strawberry's
            # pipeline; anything else takes it.
            response = await self.prepared_response(request)
            if response is None:
                response = await self.run(request=request)
        except HTTPException as exc:
            headers = {"Allow": "POST"} if exc.status_code == 405 else None
            return error_response(exc.status_code, exc.reason, headers=headers)
        except CrossOriginUpload as exc:
            return error_response(403, str(exc), code=CSRF_FAILED)
        except UploadTooLarge as exc:
            return error_response(413, str(exc))
        except RequestDataTooBig:
            return error_response(413, "Request body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE.")
        except (TooManyFieldsSent, TooManyFilesSent) as exc:
            return too_many_parts(exc)
        return response

    async def prepared_response(self, request: HttpRequest) -> HttpResponseBase | None:
        """The response to a usual request (reading.py) for a prepared query, as
        Strawberry's ``run`` would make it; None for anything else."""
        if not _runs_prepared_queries(type(self)):
            return None
        data = plain_request(self, request)
        if data is None:
            return None
        prepared = self.schema.prepared_query(  # type: ignore[attr-defined]
            data.query,
            data.extensions,
            data.operation_name,
            _allowed_operation_types(self, request.method or ""),
        )
        if prepared is None:
            return None
        sub_response = await self.get_sub_response(request)
        context = await self.get_context(request, response=sub_response)
        root_value = await self.get_root_value(request)  # type: ignore[func-returns-value]
        result = await self.schema.execute_prepared(  # type: ignore[attr-defined]
            prepared, data.variables, context, root_value
        )
        response_data = await self.process_result(request, result)
        if result.errors:
            self._handle_errors(result.errors, response_data)
        return self.create_response(response_data=response_data, sub_response=sub_response)

    def _handle_errors(self, errors: list[Any], response_data: GraphQLHTTPResponse) -> None:
        # Strawberry's hook for reporting a response's errors, which error trackers patch
        # (Sentry's StrawberryIntegration makes an event of every error handed to it). The
        # schema already logs each unexpected error once, with its traceback, on every
        # transport (docs/observability.md); expected ones (ClientError, refusals, bad
        # input) are no error of the server. So the hook is handed nothing.
        return None

    async def get_sub_response(self, request: HttpRequest) -> TemporalHttpResponse:
        # Strawberry's sub-response, without encoding an unused "{}" body first.
        return SubResponse()

    async def get_context(self, request: HttpRequest, response: HttpResponse) -> Any:
        # Resolve the (lazy) user now, so resolvers and permissions never touch the
        # session from the event loop.
        if hasattr(request, "auser"):
            request.user = await request.auser()
        return await super().get_context(request, response)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = _decoded(data, "request body")
        if not isinstance(parsed, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object.")
        if isinstance(parsed, list) and not all(isinstance(item, dict) for item in parsed):
            raise HTTPException(400, "Each operation of a batch must be a JSON object.")
        return fold_document_id(parsed)

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        # `variables` and `extensions` of a GET are JSON texts; their shape ("an object or
        # null") is checked afterwards by Strawberry, as for a POST body.
        parsed = dict(params)
        for name in ("variables", "extensions"):
            if parsed.get(name):
                parsed[name] = _decoded(parsed[name], f"`{name}`")
        return fold_document_id(parsed)

    async def parse_http_body(self, request: Any) -> Any:
        plain = plain_request(self, self.request)
        if plain is not None:
            return plain
        if not any(map(self.request.accepts, ACCEPTABLE)):
            # GraphQL-over-HTTP: nothing this endpoint answers is acceptable to the client.
            raise HTTPException(406, f"Accept one of: {', '.join(ACCEPTABLE)}.")
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if (
            request.method == "POST"
            and content_type != "application/json"
            and not (self.multipart_uploads_enabled and content_type == "multipart/form-data")
        ):
            raise HTTPException(
                415, "Send GraphQL requests as application/json (POST) or as GET parameters."
            )
        return await super().parse_http_body(request)

    async def parse_multipart(self, request: Any) -> Any:
        # Forms' upload rules, before a byte of the body is parsed.
        refuse_cross_origin(self.request)
        limit_uploads(self.request)
        # A malformed `operations`/`map` part is the client's mistake: 400, never a 500.
        try:
            return await super().parse_multipart(request)
        except (AttributeError, IndexError, TypeError, ValueError) as exc:
            raise HTTPException(400, "Malformed GraphQL multipart request.") from exc

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            cause = exc.__cause__
            if isinstance(cause, InvalidOperationTypeError):
                if cause.operation_type == OperationType.MUTATION:
                    raise HTTPException(405, "Mutations must be sent with POST.") from cause
                if cause.operation_type == OperationType.SUBSCRIPTION:
                    raise HTTPException(400, NO_SUBSCRIPTIONS) from cause
            raise

    async def process_result(self, request: HttpRequest, result: ExecutionResult) -> Any:
        data = await super().process_result(request, result)
        if is_request_error(data):
            # A request error (nothing executed) has no ``data`` entry (GraphQL spec,
            # "Response"), whatever the response's media type.
            data.pop("data", None)
        return data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: HttpResponse,
    ) -> HttpResponseBase:
        if type(sub_response) is SubResponse:
            # The sub-response already holds what resolvers set (headers, cookies, a
            # status): it becomes the response, rather than being copied into a new one
            # as Strawberry does.
            response: HttpResponse = sub_response
            response.content = self.encode_json(response_data)
            if response.status_code is None:
                response.status_code = 200
        else:
            response = super().create_response(response_data, sub_response)  # type: ignore[assignment]
        single = response_data if isinstance(response_data, dict) else None
        if _wants_graphql_response_json(self.request):
            response["Content-Type"] = GRAPHQL_RESPONSE_JSON
            if single is not None and "data" not in single:
                response.status_code = 400
        if single is not None and has_code(single, CSRF_FAILED):
            response.status_code = 403  # what Django answers to any CSRF failure
        items = response_data if isinstance(response_data, list) else [response_data]
        failed = any(item.get("errors") for item in items)
        return secure_cache_headers(self.request, response, failed=failed)


def _allowed_operation_types(view: GraphQLView, method: str) -> set[OperationType]:
    """What Strawberry's view allows over ``method`` (no queries over GET if disabled)."""
    allowed = OperationType.from_http(cast(Any, method))
    if not view.allow_queries_via_get and method == "GET":
        allowed = allowed - {OperationType.QUERY}
    return allowed


# A project's subclass that overrides how requests are read or operations execute keeps
# Strawberry's path (hooks of reading and writing - parse_json, get_context,
# process_result, create_response, ... - are honoured on both).
_EXECUTING = (
    "run",
    "parse_http_body",
    "should_render_graphql_ide",
    "execute_operation",
    "execute_single",
)
_prepared_views: dict[type, bool] = {}


def _runs_prepared_queries(view_class: type) -> bool:
    allowed = _prepared_views.get(view_class)
    if allowed is None:
        allowed = _prepared_views[view_class] = all(
            getattr(view_class, name) is getattr(GraphQLView, name) for name in _EXECUTING
        )
    return allowed


def _decoded(data: str | bytes, what: str) -> Any:
    """Client JSON, or a 400 saying what was wrong with ``what``."""
    try:
        return decode_json(data)
    except JSONRefused as exc:
        raise HTTPException(400, exc.msg) from exc
    except ValueError as exc:
        raise HTTPException(400, f"Unable to parse {what} as JSON") from exc


def _wants_graphql_response_json(request: HttpRequest) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.META.get("HTTP_ACCEPT", "")


def is_request_error(data: Any) -> bool:
    """No data and only errors without a path: the request failed before execution."""
    if not isinstance(data, dict) or not data.get("errors") or data.get("data") is not None:
        return False
    return not any(e.get("path") for e in data["errors"])


def has_code(data: Any, code: str) -> bool:
    return any((e.get("extensions") or {}).get("code") == code for e in data.get("errors") or [])
