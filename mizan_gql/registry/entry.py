"""What the registry holds about one server function (and the :class:`Problem` of a mistake)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Model

from ..exceptions import Problem

AuthOption = bool | Literal["staff", "superuser"] | Callable[[Any], bool] | None
CachePolicy = Literal["private", "public", "none"]

CONTEXT_GLOBAL = "global"
CONTEXT_LOCAL = "local"

__all__ = [
    "CONTEXT_GLOBAL",
    "CONTEXT_LOCAL",
    "AuthOption",
    "CachePolicy",
    "ClientFunction",
    "ModelDependency",
    "Options",
    "Param",
    "Problem",
]


@dataclass
class Param:
    """One GraphQL argument, read from the function's signature."""

    name: str
    annotation: Any
    default: Any = inspect.Parameter.empty

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty


@dataclass
class Options:
    """The keyword options given to ``@client(...)``."""

    auth: AuthOption = None
    context: str | None = None
    mutation: bool = False
    invalidates: tuple[str, ...] = ()
    cache: CachePolicy = "private"
    ttl: int | None = None
    description: str | None = None
    deprecation_reason: str | None = None
    # The models a context function reads, as given (read by registry/dependencies.py).
    depends_on: Any = None


@dataclass(frozen=True)
class ModelDependency:
    """One model a context function reads, and how a changed row names its entries.

    ``fields`` pairs each parameter with the attribute name of the field it comes from
    (``("user_id", "user_id")`` for ``{"user_id": "user"}``); ``compute`` is the callable
    form; neither means every entry of the context.
    """

    model: type[Model]
    fields: tuple[tuple[str, str], ...] | None = None
    compute: Callable[[Any], Any] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def attnames(self) -> tuple[str, ...]:
        return tuple(attname for _, attname in self.fields or ())


@dataclass
class ClientFunction:
    """A registered server function: its name, signature and options."""

    name: str
    func: Callable[..., Any]
    options: Options
    params: list[Param] = field(default_factory=list)
    return_annotation: Any = inspect.Signature.empty
    is_async: bool = False
    problems: list[Problem] = field(default_factory=list)
    dependencies: list[ModelDependency] = field(default_factory=list)

    @property
    def qualname(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"

    @property
    def is_mutation(self) -> bool:
        return self.options.mutation

    @property
    def context_name(self) -> str | None:
        """The context this function belongs to (``global``/``local`` mean its own)."""
        context = self.options.context
        if context in (CONTEXT_GLOBAL, CONTEXT_LOCAL):
            return self.name
        return context

    @property
    def description(self) -> str | None:
        if self.options.description is not None:
            return self.options.description
        return inspect.getdoc(self.func)
