"""A ``ReactChannel`` subclass -> ``Subscription.<name>`` and ``Mutation.<name>Send``.

Build-time code: the fields' types, arguments and checks. What the fields do when they run
is in :mod:`mizan_gql.channels.runtime`.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import strawberry
from pydantic import BaseModel, create_model
from pydantic_core import PydanticUndefined
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from ..constants import INFO_PARAM
from ..exceptions import Problem, SchemaBuildError
from ..registry.core import SchemaContributor, get_registry
from ..schema.engine import shareable
from ..schema.types import TypeConverter, TypeNameCollision, UnsupportedType, collision_problem
from .runtime import send, subscribe

__all__ = ["ChannelContributor"]


class ChannelContributor(SchemaContributor):
    """Adds one channel's fields to the schema (see ``Registry.add_contributor``).

    ``default_receive`` is ``ReactChannel.receive``: a channel that keeps it cannot
    handle the ``ReactMessage`` it declares.
    """

    def __init__(self, channel: Any, default_receive: Callable[..., Any]) -> None:
        self.channel = channel
        self.default_receive = default_receive
        self.converter: TypeConverter | None = None

    def __repr__(self) -> str:
        return f"<channel {self.channel.__module__}.{self.channel.__qualname__}>"

    def bind(self, build: Any) -> None:
        """Share the schema's converter, so type names are checked across the schema."""
        self.converter = build.converter

    # -- SchemaContributor --------------------------------------------------------------
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
        if cls.ReactMessage is not None and cls.receive is self.default_receive:
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
        try:
            return build(self.converter or TypeConverter())  # type: ignore[no-any-return]
        except TypeNameCollision as exc:
            problem = collision_problem(exc, self.channel, "Rename one of the classes.")
            raise SchemaBuildError([problem]) from exc

    def _types(self, converter: TypeConverter) -> tuple[Any, list[inspect.Parameter]]:
        cls = self.channel
        where = f"ReactChannel {cls.__qualname__}"
        output = converter.output(_renamed(cls.DjangoMessage, f"{cls.__name__}Message"), where)
        parameters = [inspect.Parameter(INFO_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=Any)]
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
        # Subscribers with the same operation get the same result data (see sharing.py).
        shared = shareable(output)

        async def resolve_subscription(**kwargs: Any) -> AsyncIterator[Any]:
            return await subscribe(cls, kwargs, message_model, shared)

        returns = AsyncIterator[output]  # type: ignore[valid-type]
        return _field(resolve_subscription, parameters, returns, cls, subscription=True)

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

        async def resolve_send(**kwargs: Any) -> bool:
            return await send(cls, kwargs)

        return _field(resolve_send, parameters, bool, cls, subscription=False)


def _field_names(cls: Any) -> list[str]:
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
    cls: Any,
    *,
    subscription: bool,
) -> StrawberryField:
    parameters = [
        p.replace(annotation=strawberry.Info) if p.name == INFO_PARAM else p for p in parameters
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
