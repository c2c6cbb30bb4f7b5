"""Strawberry's Channels consumer with the mizan schema, limits and request object.

Both subprotocols are Strawberry's handlers; the subclasses here close the gaps a public
endpoint must not have: malformed messages are protocol errors (4400) instead of
exceptions in the server log, the legacy ``graphql-ws`` protocol gets an init timeout
too, every frame is bounded in size, and every close code is one that all ASGI servers
can send.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import inspect
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any, cast

from asgiref.sync import sync_to_async
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from strawberry.channels import GraphQLWSConsumer
from strawberry.channels.handlers.ws_handler import ChannelsWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import NonJsonMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from ..auth import UserRecheck
from ..channels.mailbox import Mailbox
from ..conf import mizan_settings
from ..constants import CLOSE_LAYER_LOST, CLOSE_TOO_BIG, LAYER_LOST, TOO_MANY_SUBSCRIPTIONS
from ..decoding import decode_json
from ..exceptions import RegistrationError
from ..request import WebSocketRequest
from ..schema import get_schema
from ..schema.engine.private import ListenStateOnFirstUse
from ..signals import notify, websocket_closed, websocket_opened

__all__ = [
    "LegacyWSHandler",
    "MizanWSConsumer",
    "StrictJSONAdapter",
    "TransportWSHandler",
    "authenticate_socket",
]

logger = logging.getLogger("mizan_gql.channels")

CLOSE_INTERNAL_ERROR = 4500  # as in graphql-transport-ws
NO_ORIGINS: frozenset[str] = frozenset()

# daphne (Autobahn) sends no close code but 1000 and 3000-4999: it raises instead, and the
# client sees an abnormal closure. Strawberry's legacy graphql-ws handler closes with 1002
# (a binary frame) and 1011 (connection_init refused by on_ws_connect): the codes
# graphql-transport-ws has for the same cases go out instead, on every server.
PORTABLE_CLOSE_CODES = {1002: 4400, 1011: 4403}


# Strawberry's words for an operation over WS_MAX_SUBSCRIPTIONS, now with a code.
LIMIT_ERROR = {
    "message": "Subscription limit reached",
    "extensions": {"code": TOO_MANY_SUBSCRIPTIONS},
}


def _at_limit(handler: Any, running: int) -> bool:
    limit = handler.max_subscriptions_per_connection
    return limit is not None and running >= limit


def _invalid_subscribe(message: Any) -> str | None:
    """Why a subscribe/start message is malformed, or None when it is well formed."""
    if not isinstance(message.get("id"), str) or not message["id"]:
        return "The message needs a non-empty string id"
    payload = message.get("payload")
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return "The payload needs a query string"
    # Absent or null is fine; any other value must have the right type (0 and false too).
    if not isinstance(payload.get("variables", {}), (dict, type(None))):
        return "variables must be an object"
    if not isinstance(payload.get("operationName", ""), (str, type(None))):
        return "operationName must be a string"
    if not isinstance(payload.get("extensions", {}), (dict, type(None))):
        return "extensions must be an object"
    return None


def _forget(message: dict[str, Any]) -> None:
    """Empty a handled subscribe frame: the operation keeps what it needs of it, and the
    protocol handler's loop would otherwise hold the decoded frame (payload and all) for
    as long as the socket stays idle."""
    message.clear()


class TransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """``graphql-transport-ws``: Strawberry's handler, strict about message shapes."""

    async def handle_message(self, message: Any) -> None:  # type: ignore[override]
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message("A message must be an object with a type")
            return
        if message["type"] == "subscribe" and (reason := _invalid_subscribe(message)):
            if not self.connection_acknowledged:
                await self.websocket.close(code=4401, reason="Unauthorized")
            else:
                await self.handle_invalid_message(reason)
            return
        if message["type"] == "complete" and not isinstance(message.get("id"), str):
            await self.handle_invalid_message("The message needs a string id")
            return
        if message["type"] == "subscribe" and self.connection_acknowledged:
            await cast(MizanWSConsumer, self.view).recheck_user()
        if (
            message["type"] == "subscribe"
            and self.connection_acknowledged
            and message["id"] not in self.operations
            and _at_limit(self, len(self.operations))
        ):
            # Strawberry's refusal, with an extensions.code like every other error.
            error = {"id": message["id"], "type": "error", "payload": [LIMIT_ERROR]}
            await self.send_message(cast(Any, error))
            return
        await super().handle_message(cast(Any, message))
        if message["type"] == "subscribe":
            _forget(message)

    async def handle_connection_init(self, message: Any) -> None:  # type: ignore[override]
        await super().handle_connection_init(message)
        # Strawberry has cancelled the init timeout; a cancelled task keeps its
        # CancelledError, whose traceback keeps the task's frames: let it go now rather
        # than keep them for as long as the socket stays open.
        self.connection_init_timeout_task = None


class StrictJSONAdapter(ChannelsWebSocketAdapter):
    """Strawberry's socket adapter, for which a frame that is not JSON is always an error.

    Strawberry's legacy handler asks it to skip such frames; a frame JSON cannot represent
    (a number of 5,000 digits, say) then left the client waiting for an answer that never
    comes. Both protocols close with 4400 instead.
    """

    def iter_json(self, *, ignore_parsing_errors: bool = False) -> Any:
        return super().iter_json(ignore_parsing_errors=False)


class LegacyWSHandler(BaseGraphQLWSHandler[Any, Any]):
    """Legacy ``graphql-ws``: nothing runs before a successful ``connection_init``.

    Strawberry refuses ``start`` before the ack (4401); this adds the init timeout
    (4408, as in graphql-transport-ws) and answers malformed messages with 4400.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_timeout: asyncio.Task[None] | None = None

    async def handle(self) -> None:
        self._init_timeout = asyncio.create_task(self._close_unless_initialised())
        try:
            await super().handle()
        except NonJsonMessageReceived:  # raised by StrictJSONAdapter
            await self.websocket.close(code=4400, reason="WebSocket message must be valid JSON")
        finally:
            self._init_timeout.cancel()
            with suppress(asyncio.CancelledError):
                await self._init_timeout

    async def _close_unless_initialised(self) -> None:
        await asyncio.sleep(_init_timeout().total_seconds())
        if not self.connection_acknowledged:
            await self.websocket.close(code=4408, reason="Connection initialisation timeout")

    async def handle_message(self, message: Any) -> None:  # type: ignore[override]
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.websocket.close(code=4400, reason="A message must be an object with a type")
            return
        if message["type"] == "start":
            if not self.connection_acknowledged:
                await self.websocket.close(code=4401, reason="Unauthorized")
                return
            if reason := _invalid_subscribe(message):
                await self.websocket.close(code=4400, reason=reason)
                return
            await cast(MizanWSConsumer, self.view).recheck_user()
        if message["type"] == "stop" and not isinstance(message.get("id"), str):
            await self.websocket.close(code=4400, reason="The message needs a string id")
            return
        if (
            message["type"] == "start"
            and message["id"] not in self.tasks
            and _at_limit(self, len(self.tasks))
        ):
            # Strawberry's refusal, with an extensions.code like every other error.
            error = {"type": "error", "id": message["id"], "payload": LIMIT_ERROR}
            await self.send_message(cast(Any, error))
            return
        await super().handle_message(cast(Any, message))
        if message["type"] == "start":
            _forget(message)


class MizanWSConsumer(ListenStateOnFirstUse, GraphQLWSConsumer):
    """Serves the mizan schema over ``graphql-transport-ws`` and ``graphql-ws``.

    :func:`mizan_gql.wrap_asgi` and :data:`mizan_gql.websocket.websocket_urlpatterns` serve
    it with the origin check; to route it yourself, put ``MizanWSConsumer.as_asgi()`` behind
    an origin validator (``OriginChecked``, or Channels' ``AllowedHostsOriginValidator``) and
    ``AuthMiddlewareStack``, as Channels' documentation does for its consumers: the consumer
    checks no origin itself.
    """

    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    websocket_adapter_class = StrictJSONAdapter

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            schema=None,  # type: ignore[arg-type]  # built lazily in connect()
            connection_init_wait_timeout=_init_timeout(),
            max_subscriptions_per_connection=mizan_settings.WS_MAX_SUBSCRIPTIONS,
            **kwargs,
        )
        # Checked in front of the consumer (is_websocket_origin_allowed): one shared empty
        # set instead of the one Strawberry makes per socket.
        self.allowed_origins = NO_ORIGINS
        self.max_message_size: int = mizan_settings.WS_MAX_MESSAGE_SIZE
        self.user_watch: UserRecheck | None = None
        # The frames received, for the protocol handler: an idle socket's is empty.
        self.message_queue = Mailbox()  # type: ignore[assignment]
        self._channel_opening: asyncio.Future[str] | None = None
        self._layer_reader: asyncio.Task[None] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # Channels' AsyncConsumer.__call__, except that the socket's own layer channel is
        # opened on first use (open_channel): mizan_gql's subscriptions receive through the
        # process's hub, and an idle socket then holds no layer channel, receive buffer or
        # reader task.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        try:
            # Channels' await_many_dispatch([receive], ...) does this in a task of its own
            # per message, waited for with asyncio.wait(): an idle socket held that task,
            # the wait's frames, futures and callbacks.
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass
        finally:
            if self._layer_reader is not None:
                self._layer_reader.cancel()
                with suppress(asyncio.CancelledError):
                    await self._layer_reader

    async def open_channel(self) -> str:
        """The socket's own layer channel (``channel_name``), opened on first use.

        ``listen_to_channel()`` opens it; open it yourself before handing ``channel_name``
        to code that sends to it or adds it to a group.
        """
        if self.channel_layer is None:
            raise RuntimeError("The socket has no channel layer: set CHANNEL_LAYERS")
        if self._channel_opening is None:
            self._channel_opening = asyncio.ensure_future(self.channel_layer.new_channel())
        channel: str = await asyncio.shield(self._channel_opening)
        if self._layer_reader is None:
            self.channel_name = channel
            self._layer_reader = asyncio.create_task(self._read_layer(channel))
        return channel

    async def _read_layer(self, channel: str) -> None:
        while True:
            message = await self.channel_layer.receive(channel)
            try:
                await self.dispatch(message)
            except Exception:
                # Channels ends the consumer when dispatching a layer message fails.
                logger.exception("Handling a channel layer message failed; closing the socket")
                await self.close(code=CLOSE_INTERNAL_ERROR)
                return

    @asynccontextmanager
    async def listen_to_channel(
        self, type: str, *, timeout: float | None = None, groups: Sequence[str] = ()
    ) -> AsyncIterator[Any]:
        """Strawberry's ``listen_to_channel``, on the socket's own layer channel."""
        if self.channel_layer is not None:
            await self.open_channel()
        async with super().listen_to_channel(type, timeout=timeout, groups=groups) as listened:
            yield listened

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)  # refusals close the socket like malformed JSON: 4400

    # Channels' AsyncConsumer reads the layer through this attribute (it sets it, then
    # receives from it): the consumer keeps a guard around the layer it is given.
    @property  # type: ignore[override]
    def channel_layer(self) -> Any:
        return self.__dict__.get("_guarded_layer")

    @channel_layer.setter
    def channel_layer(self, layer: Any) -> None:
        self.__dict__["_guarded_layer"] = None if layer is None else _GuardedLayer(layer)

    async def mizan_layer_lost(self, message: Any) -> None:
        await self.close(code=CLOSE_LAYER_LOST, reason="Channel layer lost; reconnect")

    async def connect(self) -> None:
        try:
            self.schema = get_schema()
        except RegistrationError:
            logger.exception("The mizan_gql schema could not be built")
            await self.close(code=CLOSE_INTERNAL_ERROR)
            return
        await super().connect()
        notify(websocket_opened, scope=self.scope)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        size = len(text_data.encode()) if text_data else len(bytes_data or b"")
        if size > self.max_message_size:
            await self.close(code=CLOSE_TOO_BIG, reason="Message too big")
            self.message_queue.put_nowait({"message": None, "disconnected": True})
            return
        await super().receive(text_data=text_data, bytes_data=bytes_data)

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        if isinstance(code, int) and not isinstance(code, bool):
            code = PORTABLE_CLOSE_CODES.get(code, code)
        await super().close(code=code, reason=reason)

    async def disconnect(self, code: int) -> None:
        if self.run_task is not None:
            await super().disconnect(code)
            notify(websocket_closed, scope=self.scope, code=code)

    async def get_context(self, request: Any, response: Any) -> Any:
        # One request for the socket's life: every operation sees the same user, which
        # recheck_user() replaces when the session ends.
        ws_request = WebSocketRequest(self.scope, consumer=self)
        self.user_watch = UserRecheck(ws_request)
        return {"request": ws_request, "ws": self}

    async def on_ws_connect(self, context: Any) -> Any:
        """At ``connection_init``: ``MIZAN["WS_AUTHENTICATE"]`` may sign the socket in from the
        message's payload (``connectionParams``); a refusal closes it with 4403."""
        request = context["request"]
        try:
            user = await authenticate_socket(request, context.get("connection_params") or {})
        except PermissionDenied:
            raise ConnectionRejectionError() from None
        except Exception:
            logger.exception("MIZAN['WS_AUTHENTICATE'] failed; the connection is refused")
            raise ConnectionRejectionError() from None
        if user is not None:
            request.user = self.scope["user"] = user
            request.session_auth = False
            self.user_watch = UserRecheck(request)  # a user of no session: not re-checked
        return await super().on_ws_connect(context)

    async def recheck_user(self) -> None:
        """Before each new operation: after a logout (a cache read) or when the session,
        read again at most every ``WS_AUTH_RECHECK`` seconds, names another user, the
        socket's operations run as that user (anonymous after a logout) from now on."""
        watch = self.user_watch
        if watch is not None and not await watch.logged_out():
            await watch.changed()

    def is_websocket_origin_allowed(self, request: Any, origin: str) -> bool:
        # The origin is checked in front of the consumer (OriginChecked in wrap_asgi and
        # websocket_urlpatterns), against ALLOWED_HOSTS or the origins given there.
        return True


class _GuardedLayer:
    """A Channels layer whose failing ``receive()`` becomes one ``LAYER_LOST`` message.

    A failing layer (Redis stopped or restarted) would otherwise end the consumer with an
    exception (a traceback and an abrupt close); the consumer then closes the socket with
    ``CLOSE_LAYER_LOST``, a code clients reconnect after. Everything else is the layer's.
    """

    def __init__(self, layer: Any) -> None:
        self._layer = layer
        self._lost = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._layer, name)

    async def receive(self, channel: str) -> Any:
        if not self._lost:
            try:
                return await self._layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("The channel layer failed; closing the socket", exc_info=True)
                self._lost = True
                return {"type": LAYER_LOST}
        await asyncio.Event().wait()  # nothing more comes from a lost layer


async def authenticate_socket(request: Any, params: dict[str, Any]) -> Any:
    """The user ``MIZAN["WS_AUTHENTICATE"]`` gives for ``connection_init``'s ``params``
    (None: the handshake's user stays); a sync function runs in a worker thread (ORM)."""
    path = mizan_settings.WS_AUTHENTICATE
    if path is None:
        return None
    authenticate = _imported(path)
    if inspect.iscoroutinefunction(authenticate):
        return await authenticate(request, params)
    return await sync_to_async(authenticate, thread_sensitive=True)(request, params)


@functools.cache
def _imported(path: str) -> Any:
    return import_string(path)  # a path that does not import is mizan_gql.E005


def _init_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=mizan_settings.WS_CONNECTION_INIT_TIMEOUT)
