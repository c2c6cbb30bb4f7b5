"""Strawberry's Channels consumer with the mizan schema, limits and request object.

Both subprotocols are Strawberry's handlers; the subclasses here close the gaps a public
endpoint must not have: malformed messages are protocol errors (4400) instead of
exceptions in the server log, the legacy ``graphql-ws`` protocol gets an init timeout
too, and every frame is bounded in size.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from contextlib import suppress
from typing import Any, cast

from strawberry.channels import GraphQLWSConsumer
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from ..channels.hub import CLOSE_LAYER_LOST
from ..conf import mizan_settings
from ..constants import LAYER_LOST
from ..decoding import decode_json
from ..exceptions import RegistrationError
from ..request import WebSocketRequest
from ..schema import get_schema
from ..signals import notify, websocket_closed, websocket_opened

__all__ = ["LegacyWSHandler", "MizanWSConsumer", "TransportWSHandler"]

logger = logging.getLogger("mizan_gql.channels")

CLOSE_TOO_BIG = 1009  # RFC 6455 "Message Too Big"


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
        await super().handle_message(cast(Any, message))


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
        if message["type"] == "stop" and not isinstance(message.get("id"), str):
            await self.websocket.close(code=4400, reason="The message needs a string id")
            return
        await super().handle_message(cast(Any, message))


class MizanWSConsumer(GraphQLWSConsumer):
    """Serves the mizan schema over ``graphql-transport-ws`` and ``graphql-ws``.

    Use :func:`mizan_gql.wrap_asgi`, which adds the session, auth and origin middleware.
    """

    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            schema=None,  # type: ignore[arg-type]  # built lazily in connect()
            connection_init_wait_timeout=_init_timeout(),
            max_subscriptions_per_connection=mizan_settings.WS_MAX_SUBSCRIPTIONS,
            **kwargs,
        )
        self.max_message_size: int = mizan_settings.WS_MAX_MESSAGE_SIZE

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
            await self.close(code=1011)
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

    async def disconnect(self, code: int) -> None:
        if self.run_task is not None:
            await super().disconnect(code)
            notify(websocket_closed, scope=self.scope, code=code)

    async def get_context(self, request: Any, response: Any) -> Any:
        return {"request": WebSocketRequest(self.scope, consumer=self), "ws": self}

    def is_websocket_origin_allowed(self, request: Any, origin: str) -> bool:
        # wrap_asgi puts Channels' AllowedHostsOriginValidator in front of this consumer:
        # an origin that reaches it was already checked against ALLOWED_HOSTS.
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


def _init_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=mizan_settings.WS_CONNECTION_INIT_TIMEOUT)
