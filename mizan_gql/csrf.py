"""CSRF rules as a feature: Django's CSRF check for mutations sent with the session cookie.

The GraphQL view is exempt from ``CsrfViewMiddleware`` so that cookie-less clients and
queries work; :class:`MutationCSRF` puts the same check back exactly where it matters: a
mutation from a browser that carries the session cookie. A refusal is an error with
``extensions.code = "CSRF_FAILED"`` (HTTP 403, what Django answers any CSRF failure).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from .constants import CSRF_FAILED
from .plugins import Plugin
from .request import request_from_context
from .schema.engine import csrf_failure_reason

__all__ = ["CSRF", "CSRF_FAILED", "MutationCSRF", "csrf_failure", "csrf_header_name"]


def csrf_header_name() -> str:
    """The HTTP header Django reads the CSRF token from (``CSRF_HEADER_NAME`` names its
    ``request.META`` key): ``X-CSRFToken`` by default."""
    header = settings.CSRF_HEADER_NAME
    if header == "HTTP_X_CSRFTOKEN":
        return "X-CSRFToken"
    return "-".join(p.capitalize() for p in header.removeprefix("HTTP_").split("_"))


def csrf_failure(request: Any) -> str | None:
    """The error message when Django's CSRF check refuses ``request``, else None."""
    reason = csrf_failure_reason(request)
    if reason is None:
        return None
    return (
        f"CSRF verification failed: {reason.rstrip('.')}. Send the csrftoken cookie's "
        "value in the X-CSRFToken header from a page of this site."
    )


class MutationCSRF(SchemaExtension):
    """Refuse cookie-authenticated mutations that fail Django's CSRF check."""

    prepared_query = "skip"  # it acts on mutations only

    def on_execute(self) -> Iterator[None]:
        execution_context = self.execution_context
        if execution_context.operation_type == OperationType.MUTATION:
            request = request_from_context(execution_context.context)
            cookies = getattr(request, "COOKIES", None) or {}
            if (
                getattr(request, "method", None) == "POST"
                and settings.SESSION_COOKIE_NAME in cookies
                and (failure := csrf_failure(request))
            ):
                # A preset result makes Strawberry skip execution entirely.
                execution_context.result = ExecutionResult(
                    data=None,
                    errors=[GraphQLError(failure, extensions={"code": CSRF_FAILED})],
                )
        yield


# Django's CSRF protection for mutations over HTTP.
CSRF = Plugin(name="csrf", order=40, extensions=[MutationCSRF])
