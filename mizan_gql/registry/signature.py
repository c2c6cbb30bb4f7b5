"""Read a function's signature once, at registration, into :class:`Param` objects."""

from __future__ import annotations

import inspect
import types
import typing
from typing import Annotated, Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..constants import INFO_PARAM
from .entry import ClientFunction, Param, Problem

__all__ = ["RESERVED_NAMES", "annotation_text", "read_signature"]


def annotation_text(annotation: Any) -> str:
    """An annotation as Python shows it in messages: ``int``, ``list[shop.Item]``,
    ``shop.Item | None``, ``typing.Literal['a', 1]`` (module-qualified, builtins bare)."""
    if isinstance(annotation, types.GenericAlias):
        return repr(annotation)
    if isinstance(annotation, type):
        if annotation.__module__ == "builtins":
            return annotation.__qualname__
        return f"{annotation.__module__}.{annotation.__qualname__}"
    if annotation is ...:
        return "..."
    if isinstance(annotation, types.FunctionType):
        return annotation.__name__
    return repr(annotation)


def _param(name: str, annotation: Any, default: Any) -> Param:
    """``text: str = Field(max_length=200)`` means ``Annotated[str, Field(...)]`` with the
    field's own default (pydantic's ``validate_call`` reads it the same way)."""
    if isinstance(default, FieldInfo):
        field_default = default.get_default(call_default_factory=True)
        annotation = Annotated[annotation, default]
        default = inspect.Parameter.empty if field_default is PydanticUndefined else field_default
    return Param(name, annotation, default)


RESERVED_NAMES = frozenset({"info", "root", "self", "parent", INFO_PARAM})


def read_signature(entry: ClientFunction) -> None:
    """Fill ``entry.params`` and ``entry.return_annotation``; record mistakes as problems."""
    func = entry.func
    where = f"Server function {entry.qualname!r} (registered as {entry.name!r})"
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception as exc:  # a forward reference that cannot be resolved
        entry.problems.append(
            Problem(
                "mizan_gql.E012",
                f"{where}: its annotations cannot be resolved ({exc}).",
                "Import every type used in the annotations at module level.",
                func,
            )
        )
        return
    signature = inspect.signature(func)
    parameters = list(signature.parameters.values())
    if not parameters or parameters[0].kind not in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        entry.problems.append(
            Problem(
                "mizan_gql.E013",
                f"{where} must take the Django request as its first parameter.",
                f"Write `def {func.__name__}(request, ...)`.",
                func,
            )
        )
        return
    for parameter in parameters[1:]:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            entry.problems.append(
                Problem(
                    "mizan_gql.E018",
                    f"{where}: `{parameter.name}` is *args/**kwargs, "
                    "which GraphQL cannot describe.",
                    "Declare each argument by name with a type annotation.",
                    func,
                )
            )
            continue
        if parameter.name in RESERVED_NAMES:
            entry.problems.append(
                Problem(
                    "mizan_gql.E018",
                    f"{where}: the parameter name `{parameter.name}` is reserved by Strawberry.",
                    f"Rename `{parameter.name}` (for example to `{parameter.name}_value`).",
                    func,
                )
            )
            continue
        if parameter.name not in hints:
            entry.problems.append(
                Problem(
                    "mizan_gql.E010",
                    f"{where}: `{parameter.name}` has no type annotation.",
                    f"Write `{parameter.name}: str` (or the type it takes).",
                    func,
                )
            )
            continue
        entry.params.append(_param(parameter.name, hints[parameter.name], parameter.default))
    if "return" not in hints:
        entry.problems.append(
            Problem(
                "mizan_gql.E011",
                f"{where} has no return annotation.",
                f"Write `def {func.__name__}(...) -> YourModel:` (or `-> None`).",
                func,
            )
        )
    else:
        entry.return_annotation = hints["return"]
    entry.is_async = inspect.iscoroutinefunction(func)
