"""What a channel's fields do when they run: subscribe, stream, send (run-time code).

The fields themselves are built by :mod:`mizan_gql.channels.contributor`; their resolvers
call :func:`subscribe` and :func:`send` here with the channel class.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from pydantic import BaseModel, ValidationError

from ..auth import UserRecheck
from ..constants import CHANNEL_MESSAGE, INFO_PARAM
from ..exceptions import ClientError, pydantic_field_errors
from ..request import request_from_info
from ..schema.engine import extensions_allow_sharing, share
from ..schema.fields import to_python
from .hub import SKIP, GroupMessages, logger

__all__ = ["ChannelMessages", "authorize", "call_hook", "send", "subscribe", "validate_params"]

# Where a layer message keeps its validated DjangoMessage per model (ChannelMessages).
VALIDATED = "mizan.validated"
INVALID = object()


async def call_hook(hook: Any, *args: Any) -> Any:
    """Await an async hook; run a plain one in a worker thread (ORM-safe)."""
    if inspect.iscoroutinefunction(hook):
        return await hook(*args)
    result = await sync_to_async(hook, thread_sensitive=True)(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


async def subscribe(
    cls: Any, kwargs: dict[str, Any], message_model: type[BaseModel], shared: bool
) -> AsyncIterator[Any]:
    """``Subscription.<channel>``: authorize, then stream the group's broadcasts.

    ``shared``: the message type resolves nothing but its own fields, so subscribers with
    the same operation may share one execution (see mizan_gql.schema.engine.sharing).
    """
    info = kwargs.pop(INFO_PARAM)
    params = validate_params(cls, kwargs)
    request = request_from_info(info)
    channel = cls(scope=getattr(request, "scope", None), user=_user(request))
    await authorize(channel, params)
    group = cls.layer_group(await call_hook(channel.group, params))
    share_results = shared and extensions_allow_sharing(info.schema.extensions)
    return ChannelMessages(channel, params, request, group, message_model, share_results)


async def send(cls: Any, kwargs: dict[str, Any]) -> bool:
    """``Mutation.<channel>Send``: authorize, then hand the message to ``receive()``."""
    info = kwargs.pop(INFO_PARAM)
    raw_message = kwargs.pop("message")
    params = validate_params(cls, kwargs)
    message = _validate(cls.ReactMessage, to_python(raw_message), ["message"])
    request = request_from_info(info)
    channel = cls(scope=getattr(request, "scope", None), user=_user(request))
    await authorize(channel, params)
    await call_hook(channel.receive, params, message)
    return True


class ChannelMessages(GroupMessages):
    """The channel's messages of ``group``, validated as ``message_model``, for as long as
    the subscriber may read them: a session that ends or changes user ends the stream with
    an ``UNAUTHENTICATED`` error unless ``authorize()`` still allows the new user."""

    __slots__ = ("channel", "message_model", "params", "recheck", "share_results")

    def __init__(
        self,
        channel: Any,
        params: Any,
        request: Any,
        group: str,
        message_model: type[BaseModel],
        share_results: bool,
    ) -> None:
        super().__init__(group, CHANNEL_MESSAGE, request, subscription=channel.graphql_name)
        self.channel, self.params, self.message_model = channel, params, message_model
        self.share_results = share_results
        self.recheck = UserRecheck(request)

    async def accept(self, event: dict[str, Any]) -> Any:
        if await self.recheck.changed() and not await _still_allowed(
            self.channel, self.params, self.request
        ):
            await self.aclose()  # the error below is the stream's last item
            # An exception instance as the value becomes an error on this subscription.
            return ClientError("Your session ended; subscribe again", code="UNAUTHENTICATED")
        # The hub hands this process's copy of the layer message to every local
        # subscription of the group: validate it once per message model.
        message_model = self.message_model
        validated = event.setdefault(VALIDATED, {})
        message = validated.get(message_model)
        if message is None:
            try:
                message = message_model.model_validate(event.get("message"))
            except ValidationError:
                # broadcast() validates at the sender: only a process running other code
                # (during a deploy) or a hand-made group_send can get here.
                logger.warning("Dropped a %s message that does not validate", message_model)
                message = INVALID
            validated[message_model] = message
        if message is INVALID:
            return SKIP
        if self.share_results:
            share(message)
        return message


async def _still_allowed(channel: Any, params: Any, request: Any) -> bool:
    channel.user = request.user
    return bool(await call_hook(channel.authorize, params))


async def authorize(channel: Any, params: Any) -> None:
    """Raise the error of a refusal unless ``channel.authorize(params)`` allows it."""
    if await call_hook(channel.authorize, params):
        return
    if not getattr(channel.user, "is_authenticated", False):
        raise ClientError("Authentication required", code="UNAUTHENTICATED")
    raise ClientError("You may not use this channel", code="FORBIDDEN")


def validate_params(cls: Any, raw: dict[str, Any]) -> Any:
    """The channel's ``Params`` from GraphQL arguments (``BAD_USER_INPUT`` if invalid)."""
    if cls.Params is None:
        return None
    return _validate(cls.Params, {k: to_python(v) for k, v in raw.items()}, [])


def _validate(model: type[BaseModel], value: Any, prefix: list[Any]) -> BaseModel:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ClientError.invalid_input(pydantic_field_errors(exc, prefix)) from None


def _user(request: Any) -> Any:
    return getattr(request, "user", None)
