"""A ``ReactChannel`` subclass -> ``Subscription.<name>`` and ``Mutation.<name>Send``."""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from pydantic import BaseModel, ValidationError, create_model
from pydantic_core import PydanticUndefined
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from ..conf import mizan_settings
from ..exceptions import ClientError
from ..registry.entry import Problem
from ..request import request_from_info
from ..schema.types import TypeConverter, TypeNameCollision, UnsupportedType
from .base import MESSAGE_TYPE, ReactChannel, call_hook
from .hub import LAYER_LOST, GroupHub, close_on_layer_loss, get_hub, logger
from .shared import extensions_allow_sharing, shareable
from .shared import share as share_results

INFO = "mizan_info"
# Where a layer message keeps its validated DjangoMessage per model (see _stream).
VALIDATED = "mizan.validated"
INVALID = object()


class ChannelContributor:
    """Adds one channel's fields to the schema (see ``Registry.add_contributor``)."""

    def __init__(self, channel: type[ReactChannel]) -> None:
        self.channel = channel
        self.converter: TypeConverter | None = None

    def __repr__(self) -> str:
        return f"<channel {self.channel.__module__}.{self.channel.__qualname__}>"

    def bind_converter(self, converter: TypeConverter) -> None:
        """Share the schema's converter, so type names are checked across the schema."""
        self.converter = converter

    # -- SchemaContributor --------------------------------------------------------------
    def query_fields(self) -> dict[str, Any]:
        return {}

    def subscription_fields(self) -> dict[str, Any]:
        return {self.channel.graphql_name or "": self._guarded(self._subscription_field)}

    def mutation_fields(self) -> dict[str, Any]:
        if self.channel.ReactMessage is None:
            return {}
        return {f"{self.channel.graphql_name}Send": self._guarded(self._send_field)}

    def problems(self) -> list[Problem]:
        cls, where = self.channel, f"ReactChannel {self.channel.__qualname__!r}"
        problems = []
        for attr, required in (("DjangoMessage", True), ("Params", False), ("ReactMessage", False)):
            value = getattr(cls, attr, None)
            if (value is None and required) or (value is not None and not _is_model(value)):
                problems.append(
                    Problem(
                        "mizan_gql.E050",
                        f"{where}: {attr} must be a pydantic BaseModel subclass, not {value!r}.",
                        f"Declare `class {attr}(BaseModel): ...` inside the channel class.",
                        cls,
                    )
                )
        if cls.ReactMessage is not None and cls.receive is ReactChannel.receive:
            problems.append(
                Problem(
                    "mizan_gql.E051",
                    f"{where} declares ReactMessage but no receive() to handle it.",
                    "Define `def receive(self, params, message): ...`, or drop ReactMessage.",
                    cls,
                )
            )
        problems.extend(self._name_problems(where))
        if not problems:
            try:
                self._types(TypeConverter())
            except UnsupportedType as exc:
                problems.append(
                    Problem(
                        "mizan_gql.E012",
                        f"{where}: {exc}.",
                        "Use the types server functions accept (see docs/types.md).",
                        cls,
                    )
                )
        return problems

    def _name_problems(self, where: str) -> list[Problem]:
        from ..registry import get_registry

        registry = get_registry()
        mine = set(_field_names(self.channel))
        taken = {to_camel_case(entry.name): entry.qualname for entry in registry.functions}
        for other in registry.contributors:
            if other is self:
                break  # the later of two channels reports the clash
            if isinstance(other, ChannelContributor):
                for name in _field_names(other.channel):
                    taken[name] = other.channel.__qualname__
        return [
            Problem(
                "mizan_gql.E052",
                f"{where}: the field name {name!r} is also used by {taken[name]}.",
                'Rename the channel class or set `graphql_name = "..."` on it.',
                self.channel,
            )
            for name in sorted(mine & set(taken))
        ]

    # -- fields -------------------------------------------------------------------------
    def _guarded(self, build: Any) -> StrawberryField:
        from ..schema.builder import SchemaBuildError

        try:
            return build(self.converter or TypeConverter())  # type: ignore[no-any-return]
        except TypeNameCollision as exc:
            raise SchemaBuildError(
                [Problem("mizan_gql.E016", f"{exc}.", "Rename one of the classes.", self.channel)]
            ) from exc

    def _types(self, converter: TypeConverter) -> tuple[Any, list[inspect.Parameter]]:
        cls = self.channel
        where = f"ReactChannel {cls.__qualname__}"
        output = converter.output(_renamed(cls.DjangoMessage, f"{cls.__name__}Message"), where)
        parameters = [inspect.Parameter(INFO, inspect.Parameter.KEYWORD_ONLY, annotation=Any)]
        for name, info in (cls.Params.model_fields if cls.Params else {}).items():
            gql_type = converter.input(info.annotation, f"{where}.Params.{name}")
            if info.default is not PydanticUndefined and info.default_factory is None:
                default = info.default
            elif not info.is_required():
                gql_type, default = gql_type | None, None
            else:
                default = inspect.Parameter.empty
            parameters.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, annotation=gql_type, default=default
                )
            )
        return output, parameters

    def _subscription_field(self, converter: TypeConverter) -> StrawberryField:
        cls = self.channel
        output, parameters = self._types(converter)
        message_model = cls.DjangoMessage
        # Subscribers with the same operation get the same result data (see shared.py).
        shared = shareable(output)

        async def subscribe(**kwargs: Any) -> AsyncIterator[Any]:
            info = kwargs.pop(INFO)
            params = validate_params(cls, kwargs)
            request = request_from_info(info)
            channel = cls(scope=getattr(request, "scope", None), user=_user(request))
            await authorize(channel, params)
            group = cls.layer_group(await call_hook(channel.group, params))
            share = shared and extensions_allow_sharing(info.schema.extensions)
            return _stream(get_hub(), channel, params, request, group, message_model, share)

        return _field(subscribe, parameters, AsyncIterator[output], cls, subscription=True)  # type: ignore[valid-type]

    def _send_field(self, converter: TypeConverter) -> StrawberryField:
        cls = self.channel
        assert cls.ReactMessage is not None
        react = _renamed(cls.ReactMessage, f"{cls.__name__}Message")
        where = f"ReactChannel {cls.__qualname__}.ReactMessage"
        _, parameters = self._types(converter)
        parameters.append(
            inspect.Parameter(
                "message", inspect.Parameter.KEYWORD_ONLY, annotation=converter.input(react, where)
            )
        )

        async def send(**kwargs: Any) -> bool:
            info = kwargs.pop(INFO)
            raw_message = kwargs.pop("message")
            params = validate_params(cls, kwargs)
            message = _validate(cls.ReactMessage, _plain(raw_message), ["message"])  # type: ignore[arg-type]
            request = request_from_info(info)
            channel = cls(scope=getattr(request, "scope", None), user=_user(request))
            await authorize(channel, params)
            await call_hook(channel.receive, params, message)
            return True

        return _field(send, parameters, bool, cls, subscription=False)


async def _stream(
    hub: GroupHub,
    channel: ReactChannel,
    params: Any,
    request: Any,
    group: str,
    message_model: type[BaseModel],
    share: bool = False,
) -> AsyncIterator[Any]:
    recheck = _AuthRecheck(channel, params, request)
    async with hub.listen(group) as queue:
        while True:
            event = await queue.get()
            if event is LAYER_LOST:
                await close_on_layer_loss(request)
                return
            if event.get("type") != MESSAGE_TYPE:
                continue
            if not await recheck.still_allowed():
                # An exception instance as the value becomes an error on this subscription.
                yield ClientError("Your session ended; subscribe again", code="UNAUTHENTICATED")
                return
            # The hub hands this process's copy of the layer message to every local
            # subscription of the group: validate it once per message model.
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
                continue
            if share:
                share_results(message)
            yield message


class _AuthRecheck:
    """Re-read the session's user now and then, so a logout stops private deliveries."""

    def __init__(self, channel: ReactChannel, params: Any, request: Any) -> None:
        self.channel, self.params, self.request = channel, params, request
        self.checked_at = time.monotonic()
        self.user_id = getattr(channel.user, "pk", None)

    async def still_allowed(self) -> bool:
        interval = mizan_settings.WS_AUTH_RECHECK
        session = getattr(self.request, "session", None)
        if (
            interval is None
            or self.user_id is None
            or session is None
            or time.monotonic() - self.checked_at < interval
        ):
            return True
        self.checked_at = time.monotonic()
        from .request import current_user

        user = await current_user(session)
        if getattr(user, "pk", None) == self.user_id:
            return True
        self.channel.user = user
        self.user_id = getattr(user, "pk", None)
        return bool(await call_hook(self.channel.authorize, self.params))


async def authorize(channel: ReactChannel, params: Any) -> None:
    if await call_hook(channel.authorize, params):
        return
    if not getattr(channel.user, "is_authenticated", False):
        raise ClientError("Authentication required", code="UNAUTHENTICATED")
    raise ClientError("You may not use this channel", code="FORBIDDEN")


def validate_params(cls: type[ReactChannel], raw: dict[str, Any]) -> Any:
    if cls.Params is None:
        return None
    return _validate(cls.Params, {k: _plain(v) for k, v in raw.items()}, [])


def _validate(model: type[BaseModel], value: Any, prefix: list[Any]) -> BaseModel:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        field_errors = [
            {
                "path": [to_camel_case(p) if isinstance(p, str) else p for p in prefix + list(loc)],
                "message": error["msg"],
                "type": error["type"],
            }
            for error in exc.errors(include_url=False, include_input=False)
            for loc in [error["loc"]]
        ]
        first = field_errors[0]
        summary = f"Invalid value for {'.'.join(map(str, first['path']))}: {first['message']}"
        raise ClientError(
            summary, code="BAD_USER_INPUT", extensions={"fieldErrors": field_errors}
        ) from None


def _plain(value: Any) -> Any:
    from ..schema.fields import to_python

    return to_python(value)


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _field_names(cls: type[ReactChannel]) -> list[str]:
    names = [cls.graphql_name or ""]
    return names + [f"{cls.graphql_name}Send"] if cls.ReactMessage is not None else names


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _renamed(model: type[BaseModel], name: str) -> type[BaseModel]:
    """``model`` under the GraphQL name ``name`` (``ChatChannel.DjangoMessage`` -> ...)."""
    if model.__name__ == name:
        return model
    cached = model.__dict__.get("__mizan_renamed__")
    if cached is not None and cached.__name__ == name:
        return cached  # type: ignore[no-any-return]
    renamed = create_model(name, __base__=model, __module__=model.__module__)
    renamed.__doc__ = model.__doc__
    model.__mizan_renamed__ = renamed  # type: ignore[attr-defined]
    return renamed


def _field(
    resolver: Any,
    parameters: list[inspect.Parameter],
    return_type: Any,
    cls: type[ReactChannel],
    *,
    subscription: bool,
) -> StrawberryField:
    parameters = [
        p.replace(annotation=strawberry.Info) if p.name == INFO else p for p in parameters
    ]
    resolver.__signature__ = inspect.Signature(parameters, return_annotation=return_type)
    resolver.__annotations__ = {p.name: p.annotation for p in parameters}
    resolver.__annotations__["return"] = return_type
    name = cls.graphql_name if subscription else f"{cls.graphql_name}Send"
    resolver.__name__ = resolver.__qualname__ = name
    doc = inspect.getdoc(cls) if cls.__doc__ else None
    if subscription:
        return strawberry.subscription(resolver=resolver, name=name, description=doc)  # type: ignore[no-any-return]
    return strawberry.mutation(resolver=resolver, name=name, description=doc)  # type: ignore[no-any-return]
