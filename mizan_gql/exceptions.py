"""Errors raised by mizan_gql, in every layer.

Developers meet the :class:`MizanError` hierarchy (configuration and registration
mistakes, each carrying :class:`Problem` records that ``manage.py check`` shows); API
clients meet :class:`ClientError`, which becomes a GraphQL error whose
``extensions.code`` tells the client what happened. Bad input is described the same way
wherever it is found (arguments, context parameters, channel messages, form data): a
``BAD_USER_INPUT`` error with ``extensions.fieldErrors``, built by :func:`field_error`,
:func:`pydantic_field_errors` and :meth:`ClientError.invalid_input`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.core.checks import CheckMessage
from pydantic import ValidationError
from strawberry.utils.str_converters import to_camel_case

__all__ = [
    "ClientError",
    "ConfigurationError",
    "MizanError",
    "Problem",
    "RegistrationError",
    "SchemaBuildError",
    "field_error",
    "invalid_value_message",
    "pydantic_field_errors",
]


@dataclass(frozen=True)
class Problem:
    """A registry mistake, reported by ``manage.py check`` as ``mizan_gql.<id>``."""

    id: str
    message: str
    hint: str
    obj: Any = None

    def as_check_message(self) -> CheckMessage:
        """The Django system check message: a warning for ``W`` ids, else an error."""
        cls = checks.Warning if ".W" in self.id else checks.Error
        return cls(self.message, hint=self.hint, obj=_label(self.obj), id=self.id)


def _label(obj: Any) -> Any:
    # Django prints ``obj`` before the message: "app.module.fn: (mizan_gql.E010) ...",
    # not "<function fn at 0x7f...>".
    if callable(obj) and hasattr(obj, "__qualname__"):
        return f"{obj.__module__}.{obj.__qualname__}"
    return obj


class MizanError(Exception):
    """Base class of the errors mizan_gql raises for developers."""


class ConfigurationError(MizanError):
    """The ``MIZAN`` settings or the project wiring are wrong."""


class RegistrationError(MizanError):
    """A function could not be registered, or the registry cannot become a schema."""


class SchemaBuildError(RegistrationError):
    """The registry has mistakes; ``problems`` lists them (``manage.py check`` shows them)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p.id}: {p.message} HINT: {p.hint}" for p in problems)
        super().__init__(f"The mizan_gql registry cannot become a schema:\n{lines}")


class ClientError(Exception):
    """An expected error to report to the API client.

    Raise it from a server function; the client receives ``message`` and
    ``extensions.code`` (``BAD_USER_INPUT`` unless ``code`` says otherwise)::

        @client
        def order(request, order_id: int) -> Order:
            if not Order.objects.filter(pk=order_id).exists():
                raise ClientError("No such order", code="NOT_FOUND")
    """

    def __init__(
        self,
        message: str,
        code: str = "BAD_USER_INPUT",
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extensions = dict(extensions or {})

    def as_extensions(self) -> dict[str, Any]:
        return {**self.extensions, "code": self.code}

    @classmethod
    def invalid_input(
        cls, field_errors: list[dict[str, Any]], message: str | None = None
    ) -> ClientError:
        """``BAD_USER_INPUT`` with ``extensions.fieldErrors``; by default the message names
        the first problem ("Invalid value for user.email: ...")."""
        return cls(
            message or invalid_value_message(field_errors),
            code="BAD_USER_INPUT",
            extensions={"fieldErrors": field_errors},
        )


def field_error(path: Sequence[str | int], message: str, kind: str) -> dict[str, Any]:
    """One entry of ``extensions.fieldErrors``: where (``path``), what, and its ``type``."""
    return {"path": list(path), "message": message, "type": kind}


def pydantic_field_errors(
    exc: ValidationError, prefix: Sequence[str | int] = (), *, camel: bool = True
) -> list[dict[str, Any]]:
    """pydantic's errors as ``fieldErrors`` under ``prefix``; with ``camel``, names in
    paths are spelled as in the GraphQL schema (``user_id`` -> ``userId``)."""
    errors = []
    for error in exc.errors(include_url=False, include_input=False):
        path = [*prefix, *error["loc"]]
        if camel:
            path = [to_camel_case(p) if isinstance(p, str) else p for p in path]
        errors.append(field_error(path, error["msg"], error["type"]))
    return errors


def invalid_value_message(field_errors: list[dict[str, Any]], label: str = "value for") -> str:
    """ "Invalid value for a.b: <message>" for the first of ``field_errors``."""
    first = field_errors[0]
    return f"Invalid {label} {'.'.join(map(str, first['path']))}: {first['message']}"
