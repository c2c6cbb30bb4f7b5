"""Python annotations (pydantic models, enums, scalars, ...) -> Strawberry types.

Naming rule (documented in docs/types.md): an output model keeps its class name, an input
model gets the suffix ``Input`` unless its name already ends with it, generic parameters
are folded into the name (``Page[Item]`` -> ``PageItem``). Two different Python classes
that would get the same GraphQL name are reported, never merged.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import enum
import re
import types
import typing
import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union

import strawberry
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from strawberry.scalars import JSON
from strawberry.types.base import has_object_definition
from strawberry.types.enum import has_enum_definition
from strawberry.types.scalar import ScalarDefinition, ScalarWrapper

from ..exceptions import Problem
from ..registry.signature import annotation_text
from .engine.private import scalar_definition

SCALARS: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    decimal.Decimal,
    datetime.date,
    datetime.datetime,
    datetime.time,
    uuid.UUID,
)


class UnsupportedType(Exception):
    """An annotation GraphQL cannot describe; ``where`` is its path for the message."""

    def __init__(self, annotation: Any, where: str, reason: str = "") -> None:
        self.annotation = annotation
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {show_annotation(annotation)} is not supported{reason}")


class TypeNameCollision(Exception):
    """Two different Python classes would get the same GraphQL type name."""

    def __init__(self, name: str, first: Any, second: Any) -> None:
        self.name = name
        self.first = first
        self.second = second
        super().__init__(
            f"GraphQL type name {name!r} is claimed by both {_qual(first)} and {_qual(second)}"
        )


COLLISION_HINT = "Rename one of the classes; GraphQL type names must be unique across the schema."


def collision_problem(exc: TypeNameCollision, obj: Any, hint: str = COLLISION_HINT) -> Problem:
    """The check error (``mizan_gql.E016``) of a type name claimed twice."""
    return Problem("mizan_gql.E016", f"{exc}.", hint, obj)


def show_annotation(annotation: Any) -> str:
    """``int``, ``list[Item]``, ``Literal['a', 1]``: an annotation as a user wrote it."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return annotation_text(annotation)


def mentions(annotation: Any, predicate: Callable[[Any], bool]) -> bool:
    """Whether ``annotation`` or any type inside it (``list[X]``, ``X | None``) satisfies
    ``predicate``."""
    if predicate(annotation):
        return True
    return any(mentions(arg, predicate) for arg in typing.get_args(annotation))


def _qual(obj: Any) -> str:
    if isinstance(obj, tuple):  # (model, "input"): the input type made from a model
        return f"{_qual(obj[0])} (as an input)"
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)}"


def graphql_type_name(model: type, *, is_input: bool) -> str:
    name = re.sub(r"\W", "", model.__name__)
    if is_input and not name.endswith("Input"):
        name += "Input"
    return name


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


class TypeConverter:
    """Converts annotations once per schema build, remembering every name it hands out."""

    def __init__(self) -> None:
        self._outputs: dict[type, Any] = {}
        self._inputs: dict[type, Any] = {}
        self._names: dict[str, Any] = {}

    def claim(self, name: str, owner: Any) -> None:
        current = self._names.get(name)
        if current is not None and current is not owner:
            raise TypeNameCollision(name, current, owner)
        self._names[name] = owner

    # -- public ---------------------------------------------------------------------
    def output(self, annotation: Any, where: str) -> Any:
        return self._convert(annotation, where, is_input=False)

    def input(self, annotation: Any, where: str) -> Any:
        return self._convert(annotation, where, is_input=True)

    # -- the recursive mapping ------------------------------------------------------
    def _convert(self, annotation: Any, where: str, *, is_input: bool) -> Any:
        annotation = _strip_annotated(annotation)
        if annotation is None or annotation is type(None):
            if is_input:
                raise UnsupportedType(annotation, where, " as an argument")
            return None
        if annotation is Any:
            return JSON
        if annotation in SCALARS:
            return annotation
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            if len(members) != 1:
                raise UnsupportedType(annotation, where, ": only `X | None` unions are supported")
            inner = self._convert(members[0], where, is_input=is_input)
            return inner | None if len(members) < len(args) else inner
        if origin is Literal:
            return self._literal(annotation, args, where)
        if origin in (list, tuple, set, frozenset) or (
            origin is not None and getattr(origin, "__name__", "") in ("Sequence", "Iterable")
        ):
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                raise UnsupportedType(annotation, where, ": use `list[X]` or `tuple[X, ...]`")
            item = args[0] if args else Any
            return list[self._convert(item, where, is_input=is_input)]  # type: ignore[misc]
        if annotation in (list, tuple, set):
            return list[JSON]  # type: ignore[valid-type]
        if annotation is dict or origin is dict:
            return JSON
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            return self._enum(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self._model_input(annotation) if is_input else self._model_output(annotation)
        if has_object_definition(annotation):
            definition = annotation.__strawberry_definition__
            if definition.is_input != is_input:
                kind = "an input type as a result" if definition.is_input else "an output type"
                raise UnsupportedType(annotation, where, f": {kind} cannot be used here")
            self.claim(definition.name, annotation)
            return annotation
        if annotation is JSON or _is_strawberry_scalar(annotation):
            return annotation
        raise UnsupportedType(annotation, where)

    def _literal(self, annotation: Any, values: tuple[Any, ...], where: str) -> Any:
        # A Literal becomes its values' scalar; the allowed values are enforced by pydantic
        # (arguments) so any spelling, not only GraphQL enum names, is accepted.
        kinds = {type(v) for v in values}
        if len(kinds) != 1 or next(iter(kinds)) not in (str, int, bool):
            raise UnsupportedType(annotation, where, ": Literal values must share one type")
        return next(iter(kinds))

    def _enum(self, enum_class: type[enum.Enum]) -> Any:
        if not has_enum_definition(enum_class):
            strawberry.enum(enum_class)
        self.claim(enum_class.__strawberry_definition__.name, enum_class)  # type: ignore[attr-defined]
        return enum_class

    def _model_output(self, model: type[BaseModel]) -> Any:
        if model in self._outputs:
            return self._outputs[model]
        name = graphql_type_name(model, is_input=False)
        self.claim(name, model)
        namespace: dict[str, Any] = {"__annotations__": {}}
        cls = type(name, (), namespace)
        self._outputs[model] = cls  # before recursing, so self-references resolve
        for field_name, info in model.model_fields.items():
            where = f"{model.__qualname__}.{field_name}"
            namespace["__annotations__"][field_name] = self.output(info.annotation, where)
            setattr(
                cls,
                field_name,
                strawberry.field(
                    description=info.description,
                    deprecation_reason=_deprecation(info),
                ),
            )
        cls.__annotations__ = namespace["__annotations__"]
        # Its values are validated instances of the model: the compiled query path
        # (engine/compiled.py) completes them without graphql-core's executor.
        cls.mizan_model = model  # type: ignore[attr-defined]
        return strawberry.type(cls, name=name, description=model.__doc__ and _doc(model))

    def _model_input(self, model: type[BaseModel]) -> Any:
        if model in self._inputs:
            return self._inputs[model]
        name = graphql_type_name(model, is_input=True)
        self.claim(name, (model, "input"))
        cls = type(name, (), {})
        self._inputs[model] = cls
        annotations: dict[str, Any] = {}
        for field_name, info in model.model_fields.items():
            where = f"{model.__qualname__}.{field_name}"
            gql_type = self.input(info.annotation, where)
            default: Any = strawberry.UNSET
            if info.default is not PydanticUndefined and info.default_factory is None:
                default = _graphql_default(info.default)
            elif not info.is_required():
                gql_type = gql_type | None  # default_factory: omitted means "use the default"
            annotations[field_name] = gql_type
            if isinstance(default, (list, dict, set)):
                field = strawberry.field(
                    default_factory=lambda v=default: copy.deepcopy(v),
                    description=info.description,
                )
            else:
                field = strawberry.field(default=default, description=info.description)
            setattr(cls, field_name, field)
        cls.__annotations__ = annotations
        return strawberry.input(cls, name=name, description=model.__doc__ and _doc(model))


def _doc(model: type[BaseModel]) -> str | None:
    # pydantic gives every model BaseModel's docstring; only keep the model's own.
    return model.__doc__ if model.__doc__ != BaseModel.__doc__ else None


def _deprecation(info: FieldInfo) -> str | None:
    deprecated = info.deprecated
    if deprecated is None or deprecated is False:
        return None
    return deprecated if isinstance(deprecated, str) else "Deprecated"


def _graphql_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return strawberry.UNSET
    return value


def _is_strawberry_scalar(annotation: Any) -> bool:
    return isinstance(annotation, (ScalarWrapper, ScalarDefinition)) or (
        scalar_definition(annotation) is not None
    )
