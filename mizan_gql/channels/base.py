"""``ReactChannel``: a typed server -> client (and optionally client -> server) channel."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from asgiref.sync import async_to_sync
from pydantic import BaseModel

from ..constants import CHANNEL_MESSAGE
from ..registry.core import get_registry
from ..request import anonymous_user
from .contributor import ChannelContributor
from .hub import layer_or_error
from .runtime import call_hook

__all__ = ["ReactChannel"]


class ReactChannel:
    """Subclass it to get ``Subscription.<name>`` (and ``Mutation.<name>Send``)::

        class ChatChannel(ReactChannel):
            class Params(BaseModel):
                room: str

            class DjangoMessage(BaseModel):  # server -> client
                text: str

            class ReactMessage(BaseModel):  # client -> server (optional)
                text: str

            def authorize(self, params):
                return self.user.is_authenticated

            def group(self, params):
                return f"chat_{params.room}"

            def receive(self, params, message):
                self.broadcast(params, {"text": message.text})

        ChatChannel.broadcast({"room": "lobby"}, {"text": "hello"})

    The field name is the class name with a lower-case first letter (``chatChannel``), or
    ``graphql_name`` when set. Hooks may be ``async def``; plain ones run in a worker
    thread, so the ORM works in them. ``self.user`` and ``self.scope`` are the user and the
    ASGI scope of the WebSocket (or of the HTTP request, for ``<name>Send``).
    """

    Params: ClassVar[type[BaseModel] | None] = None
    DjangoMessage: ClassVar[type[BaseModel]]
    ReactMessage: ClassVar[type[BaseModel] | None] = None
    graphql_name: ClassVar[str | None] = None
    # Set ``abstract = True`` on a base class meant to be subclassed, not served.
    abstract: ClassVar[bool] = False

    def __init__(self, scope: Any = None, user: Any = None) -> None:
        self.scope: Any = scope if scope is not None else {}
        self.user: Any = user if user is not None else anonymous_user()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        if not cls.__dict__.get("graphql_name"):
            cls.graphql_name = cls.__name__[:1].lower() + cls.__name__[1:]
        get_registry().add_contributor(ChannelContributor(cls, ReactChannel.receive))

    # -- hooks ----------------------------------------------------------------------
    def authorize(self, params: Any) -> bool:
        """Return whether ``self.user`` may subscribe with ``params`` (default: anyone)."""
        return True

    def group(self, params: Any) -> str:
        """The group whose broadcasts this subscription receives (default: one per params)."""
        if params is None:
            return ""
        return params.model_dump_json()

    def receive(self, params: Any, message: Any) -> Any:
        """Handle a ``ReactMessage`` sent with ``<name>Send`` (required with ReactMessage)."""
        raise NotImplementedError(f"{type(self).__qualname__} must define receive()")

    # -- sending ----------------------------------------------------------------------
    @classmethod
    def broadcast(cls, params_or_group: Any, message: Any) -> None:
        """Send ``message`` to every subscriber of the group, in every server process.

        ``params_or_group`` is a group name (``str``), a ``Params`` instance or a dict of
        params. ``message`` is validated against ``DjangoMessage`` here, so a bad message
        raises ``pydantic.ValidationError`` in the caller and never reaches a client.
        From async code use :meth:`abroadcast`.
        """
        async_to_sync(cls.abroadcast)(params_or_group, message)

    @classmethod
    async def abroadcast(cls, params_or_group: Any, message: Any) -> None:
        """The async form of :meth:`broadcast`."""
        payload = cls.DjangoMessage.model_validate(message).model_dump(mode="json")
        if isinstance(params_or_group, str):
            group = params_or_group
        else:
            params = cls.validate_params(params_or_group)
            group = await call_hook(cls().group, params)
        layer_group = cls.layer_group(group)
        await layer_or_error().group_send(
            layer_group,
            {"type": CHANNEL_MESSAGE, "group": layer_group, "message": payload},
        )

    # -- helpers ------------------------------------------------------------------------
    @classmethod
    def validate_params(cls, value: Any) -> BaseModel | None:
        if cls.Params is None:
            return None
        if isinstance(value, cls.Params):
            return value
        if isinstance(value, BaseModel):
            value = value.model_dump()
        return cls.Params.model_validate(value or {})

    @classmethod
    def layer_group(cls, group: str) -> str:
        """The Channels group for ``group``: any string is fine, layers need a safe name."""
        digest = hashlib.sha256(f"{cls.graphql_name}\0{group}".encode()).hexdigest()[:40]
        return f"mizan.channel.{digest}"
