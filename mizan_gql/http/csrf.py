"""Django's CSRF check for mutations sent with the session cookie.

The GraphQL view is exempt from ``CsrfViewMiddleware`` so that cookie-less clients and
queries work; this extension puts the same check back exactly where it matters: a
mutation from a browser that carries the session cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ..request import request_from_info

CSRF_FAILED = "CSRF_FAILED"


class _Context:
    def __init__(self, context: object) -> None:
        self.context = context


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering the reason of a failure instead of a response."""

    def _reject(self, request: HttpRequest, reason: str) -> Any:
        super()._reject(request, reason)  # type: ignore[misc]  # logs like Django does
        return reason


def _csrf_failure(request: HttpRequest) -> str | None:
    reason = _CsrfCheck(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
    if reason is None:
        return None
    return (
        f"CSRF verification failed: {str(reason).rstrip('.')}. Send the csrftoken cookie's "
        "value in the X-CSRFToken header from a page of this site."
    )


class MutationCSRF(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.operation_type == OperationType.MUTATION:
            request = request_from_info(_Context(context.context))
            cookies = getattr(request, "COOKIES", None) or {}
            if (
                getattr(request, "method", None) == "POST"
                and settings.SESSION_COOKIE_NAME in cookies
                and (failure := _csrf_failure(request))
            ):
                # A preset result makes Strawberry skip execution entirely.
                context.result = ExecutionResult(
                    data=None,
                    errors=[GraphQLError(failure, extensions={"code": CSRF_FAILED})],
                )
        yield
