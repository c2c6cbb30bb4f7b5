"""Errors raised by mizan_gql.

Developers meet the :class:`MizanError` hierarchy (configuration and registration
mistakes); API clients meet :class:`ClientError`, which becomes a GraphQL error whose
``extensions.code`` tells the client what happened.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ClientError",
    "ConfigurationError",
    "MizanError",
    "RegistrationError",
]


class MizanError(Exception):
    """Base class of the errors mizan_gql raises for developers."""


class ConfigurationError(MizanError):
    """The ``MIZAN`` settings or the project wiring are wrong."""


class RegistrationError(MizanError):
    """A function could not be registered, or the registry cannot become a schema."""


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
