"""``/graphql/stream``: GraphQL over Server-Sent Events, the ``graphql-sse`` protocol.

Both modes of the protocol (https://github.com/enisdenjo/graphql-sse, PROTOCOL.md):

- *distinct connections*: a ``GET``/``POST`` with ``Accept: text/event-stream`` carries one
  operation; its results come back on that response as ``next`` events, then ``complete``.
- *single connection*: a ``PUT`` reserves a stream and answers its token (201); a
  ``GET``/``POST`` with ``Accept: text/event-stream`` and the token
  (``X-GraphQL-Event-Stream-Token`` or ``?token=``) opens it; each ``POST`` with the token
  starts an operation (202) whose results, tagged with ``extensions.operationId``, go out on
  the stream; ``DELETE ?operationId=`` stops one.

The rules are those of the WebSocket transport: the request must come from an allowed
``Origin`` (``ALLOWED_HOSTS``'s, or the view's ``allowed_origins``), the user is the
request's (session auth, re-checked every ``WS_AUTH_RECHECK`` seconds), operations run
with the same context request (``request.consumer`` ends the stream when the channel layer
fails), a single-connection stream runs at most ``WS_MAX_SUBSCRIPTIONS`` operations at once
(``TOO_MANY_SUBSCRIPTIONS``) and a reservation not taken within
``WS_CONNECTION_INIT_TIMEOUT`` seconds lapses; a request body is at most
``WS_MAX_MESSAGE_SIZE`` bytes. Subscriptions receive their messages through the same
per-process hub (mizan_gql.channels.hub). Mutations sent with the session cookie pass the
CSRF check of ``/graphql``.

A reservation lives in the process that answered the ``PUT``: with several processes,
route a client's requests to one of them (sticky sessions), or use distinct connections.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing, suppress
from typing import Any
from urllib.parse import urlparse

from channels.security.websocket import AllowedHostsOriginValidator, OriginValidator
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.decorators import classonlymethod
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from ..conf import mizan_settings
from ..constants import CSRF_FAILED, TOO_MANY_SUBSCRIPTIONS
from ..decoding import decode_json
from ..exceptions import MizanError
from ..persisted.requests import DOCUMENT_ID_FIELDS, fold_document_id, names_a_document
from ..responses import error_response
from ..schema import get_schema
from ..schema.engine.private import without_sync_caller

__all__ = ["TOKEN_HEADER", "EventStream", "GraphQLStreamView", "graphql_stream"]

logger = logging.getLogger("mizan_gql.channels")

TOKEN_HEADER = "X-GraphQL-Event-Stream-Token"
EVENT_STREAM = "text/event-stream"
# A comment line every this many seconds keeps proxies from closing an idle stream.
KEEPALIVE_SECONDS = 12.0

LIMIT_ERROR = {
    "message": "Subscription limit reached",
    "extensions": {"code": TOO_MANY_SUBSCRIPTIONS},
}
NEEDS_ASGI = (
    "GraphQL over Server-Sent Events needs an ASGI server (daphne, uvicorn, hypercorn): "
    "under WSGI a stream would hold a worker for its whole life."
)


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def event(name: str, data: Any) -> bytes:
    """One SSE event (``data`` as JSON; ``None``: an empty data field, for EventSource)."""
    text = "" if data is None else json.dumps(data, separators=(",", ":"))
    return f"event: {name}\ndata: {text}\n\n".encode()


def formatted(result: ExecutionResult) -> dict[str, Any]:
    """An execution result as graphql-transport-ws sends it (``next``'s payload)."""
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


class EventStream:
    """One open SSE response and the operations whose results it carries.

    ``single``: the single-connection mode (events name their operation and the stream
    lasts until the client leaves); otherwise the stream ends with its one operation. It is
    the operations' ``request.consumer``: ``close()`` (the channel layer failed) ends the
    stream without ``complete`` events, so the client connects and subscribes again.
    """

    def __init__(self, single: bool, on_end: Any = None) -> None:
        self.single = single
        self.on_end = on_end
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.lost = False

    def start(self, op_id: str, schema: Any, request: Any, payload: dict[str, Any]) -> None:
        request.consumer = self
        coroutine = self._run(op_id, schema, request, payload)
        task = asyncio.create_task(coroutine, context=without_sync_caller())
        self.operations[op_id] = task

    def refuse(self, op_id: str, error: dict[str, Any]) -> None:
        """An operation that does not run: its error, then ``complete``."""
        self._send("next", op_id, {"errors": [error]})
        self._send("complete", op_id, None)

    def stop(self, op_id: str) -> None:
        task = self.operations.pop(op_id, None)
        if task is not None:
            task.cancel()

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        self.lost = True
        self.queue.put_nowait(None)

    def _send(self, name: str, op_id: str, payload: Any) -> None:
        if not self.single:
            self.queue.put_nowait(event(name, payload))
        elif name == "next":
            self.queue.put_nowait(event(name, {"id": op_id, "payload": payload}))
        else:
            self.queue.put_nowait(event(name, {"id": op_id}))

    async def _run(self, op_id: str, schema: Any, request: Any, payload: dict[str, Any]) -> None:
        try:
            async for result in results(schema, request, payload):
                if self.lost:
                    return
                self._send("next", op_id, result)
            if not self.lost:
                self._send("complete", op_id, None)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("A GraphQL operation over Server-Sent Events failed")
            self.refuse(
                op_id,
                {
                    "message": "Internal server error",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                },
            )
        finally:
            if self.operations.get(op_id) is asyncio.current_task():
                del self.operations[op_id]
            if not self.single:
                self.queue.put_nowait(None)

    async def body(self) -> AsyncIterator[bytes]:
        """The response's body: the queued events until the stream ends; whatever ends it
        (the client leaving included), its operations are cancelled."""
        keepalive = asyncio.create_task(self._keepalive())
        try:
            yield b":\n\n"  # the headers go out now: the client knows it is connected
            while True:
                chunk = await self.queue.get()
                # Send what is waiting in one write (a burst of broadcasts).
                chunks = [chunk]
                while chunk is not None and not self.queue.empty():
                    chunk = self.queue.get_nowait()
                    chunks.append(chunk)
                data = b"".join(c for c in chunks if c is not None)
                if data:
                    yield data
                if chunk is None:
                    return
        finally:
            keepalive.cancel()
            if self.on_end is not None:
                self.on_end()
            tasks = list(self.operations.values())
            self.operations.clear()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError, Exception):
                    await task

    async def _keepalive(self) -> None:
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            if self.queue.empty():
                self.queue.put_nowait(b":\n\n")


async def results(schema: Any, request: Any, payload: dict[str, Any]) -> AsyncIterator[Any]:
    """The formatted results of the operation ``payload`` (a GraphQL-over-HTTP request)."""
    allowed = OperationType.from_http(request.method)
    source = await schema.stream(
        payload.get("query"),
        variable_values=payload.get("variables"),
        context_value={"request": request, "response": None},
        operation_name=payload.get("operationName"),
        operation_extensions=payload.get("extensions"),
        allowed_operation_types=allowed,
    )
    async with aclosing(source):
        async for result in source:
            if not isinstance(result, ExecutionResult):
                yield {"errors": [{"message": "Incremental delivery is not supported here"}]}
                return
            yield formatted(result)


class Reservation:
    """A single-connection stream reserved by a ``PUT``, for one user."""

    def __init__(self, token: str, user_key: Any) -> None:
        self.token = token
        self.user_key = user_key
        self.stream = EventStream(single=True, on_end=self.forget)
        self.connected = False
        self.expiry: asyncio.TimerHandle | None = None

    def forget(self) -> None:
        _reservations.pop(self.token, None)


# The reservations of this process, by token.
_reservations: dict[str, Reservation] = {}


def _user_key(request: Any) -> Any:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def read_operation(request: HttpRequest) -> dict[str, Any]:
    """The GraphQL request of a ``POST`` body (JSON) or of ``GET`` parameters."""
    if request.method == "GET":
        payload: dict[str, Any] = {
            key: request.GET[key]
            for key in ("query", "operationName", "variables", "extensions", *DOCUMENT_ID_FIELDS)
            if key in request.GET
        }
        for key in ("variables", "extensions"):
            if payload.get(key):
                payload[key] = _json(payload[key], f"`{key}`")
    else:
        content_type = (request.content_type or "").lower()
        if content_type != "application/json":
            raise BadRequest("Send the operation as application/json.", 415)
        payload = _json(request.body, "request body")
    payload = fold_document_id(payload)
    problem = _invalid(payload)
    if problem:
        raise BadRequest(problem)
    return payload


def _json(data: str | bytes, what: str) -> Any:
    try:
        return decode_json(data)
    except ValueError as exc:
        raise BadRequest(f"Unable to parse {what} as JSON: {exc}") from None


def _invalid(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "The operation must be a JSON object."
    if not isinstance(payload.get("query"), str) and not (
        payload.get("query") is None and names_a_document(payload)
    ):
        return "The operation needs a query string (or a documentId)."
    if not isinstance(payload.get("variables", {}), (dict, type(None))):
        return "variables must be an object."
    if not isinstance(payload.get("operationName", ""), (str, type(None))):
        return "operationName must be a string."
    if not isinstance(payload.get("extensions", {}), (dict, type(None))):
        return "extensions must be an object."
    return None


def _wants_stream(request: HttpRequest) -> bool:
    return EVENT_STREAM in request.headers.get("Accept", "")


def _stream_response(stream: EventStream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream.body(), content_type=EVENT_STREAM)
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


class GraphQLStreamView(View):
    """The ``graphql-sse`` endpoint (``/graphql/stream`` in ``mizan_gql.urls``).

    ``allowed_origins``: as for :class:`mizan_gql.websocket.OriginChecked` (``None``: the
    origins of ``ALLOWED_HOSTS``). A request without ``Origin`` is accepted only from a
    browser that says it is same-origin (``Sec-Fetch-Site: same-origin``).
    """

    http_method_names = ["get", "post", "put", "delete"]
    view_is_async = True  # one async dispatch() for every method (Django asks the handlers)
    allowed_origins: Sequence[str] | None = None

    @classonlymethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return csrf_exempt(super().as_view(**initkwargs))

    async def dispatch(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if not isinstance(request, ASGIRequest):
            return error_response(501, NEEDS_ASGI, code="ASGI_REQUIRED")
        method = (request.method or "").lower()
        if method not in self.http_method_names:
            allow = {"Allow": "GET, POST, PUT, DELETE"}
            return error_response(405, "Use GET, POST, PUT or DELETE.", headers=allow)
        refusal = self.origin_refusal(request)
        if refusal is not None:
            return error_response(403, refusal, code=CSRF_FAILED)
        size = int(request.headers.get("Content-Length") or 0)
        if size > mizan_settings.WS_MAX_MESSAGE_SIZE:
            return error_response(413, "Request body exceeds MIZAN['WS_MAX_MESSAGE_SIZE'].")
        try:
            schema = get_schema()
        except MizanError:
            logger.exception("The mizan_gql schema could not be built")
            return error_response(500, "The GraphQL schema is misconfigured; see the server log.")
        if hasattr(request, "auser"):
            request.user = await request.auser()
        try:
            return await self.handle(request, method, schema)
        except BadRequest as exc:
            return error_response(exc.status, exc.message)

    def origin_refusal(self, request: HttpRequest) -> str | None:
        """Why ``request``'s origin is refused (the WebSocket's rule), or None."""
        origin = request.headers.get("Origin")
        if origin is None:
            if request.headers.get("Sec-Fetch-Site") == "same-origin":
                return None
            return "Send an Origin header: streams are only served to allowed origins."
        if self.allowed_origins is None:
            validator = AllowedHostsOriginValidator(None)
        else:
            validator = OriginValidator(None, list(self.allowed_origins))
        try:
            allowed = validator.valid_origin(urlparse(origin))
        except ValueError:
            allowed = False
        return None if allowed else f"The origin {origin!r} is not allowed."

    async def handle(self, request: HttpRequest, method: str, schema: Any) -> HttpResponseBase:
        if method == "put":
            return self.reserve(request)
        token = request.headers.get(TOKEN_HEADER) or request.GET.get("token")
        if token is None:
            if method == "delete" or not _wants_stream(request):
                raise BadRequest(
                    f"Send Accept: {EVENT_STREAM} (distinct connections), or the "
                    f"{TOKEN_HEADER} of a reservation (single connection).",
                    406 if method != "delete" else 400,
                )
            stream = EventStream(single=False)
            stream.start("", schema, request, read_operation(request))
            return _stream_response(stream)
        reservation = _reservations.get(token)
        if reservation is None:
            return error_response(404, "No such stream reservation (it may have lapsed).")
        if reservation.user_key != _user_key(request):
            return error_response(403, "The reservation belongs to another user.")
        if method == "delete":
            reservation.stream.stop(request.GET.get("operationId") or "")
            return HttpResponse(status=200)
        if _wants_stream(request):
            return self.connect(reservation)
        if method != "post":
            raise BadRequest("Start an operation with a POST.", 405)
        return self.operate(request, schema, reservation)

    def reserve(self, request: HttpRequest) -> HttpResponse:
        token = secrets.token_urlsafe(24)
        reservation = _reservations[token] = Reservation(token, _user_key(request))
        loop = asyncio.get_running_loop()
        reservation.expiry = loop.call_later(
            mizan_settings.WS_CONNECTION_INIT_TIMEOUT, _lapse, reservation
        )
        response = HttpResponse(token, status=201, content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response

    def connect(self, reservation: Reservation) -> HttpResponseBase:
        if reservation.connected:
            return error_response(409, "The reservation already has its stream.", code="CONFLICT")
        reservation.connected = True
        if reservation.expiry is not None:
            reservation.expiry.cancel()
        return _stream_response(reservation.stream)

    def operate(self, request: HttpRequest, schema: Any, reservation: Reservation) -> HttpResponse:
        payload = read_operation(request)
        op_id = (payload.get("extensions") or {}).get("operationId")
        if not isinstance(op_id, str) or not op_id:
            raise BadRequest("extensions.operationId must name the operation.")
        stream = reservation.stream
        if op_id in stream.operations:
            return error_response(409, f"Operation {op_id!r} is running.", code="CONFLICT")
        limit = mizan_settings.WS_MAX_SUBSCRIPTIONS
        if limit is not None and len(stream.operations) >= limit:
            stream.refuse(op_id, LIMIT_ERROR)
        else:
            stream.start(op_id, schema, request, payload)
        return HttpResponse(status=202)


def _lapse(reservation: Reservation) -> None:
    """A reservation whose stream never came: forgotten, and its operations stopped."""
    if not reservation.connected:
        reservation.forget()
        for op_id in list(reservation.stream.operations):
            reservation.stream.stop(op_id)


graphql_stream = GraphQLStreamView.as_view()
