"""Django's CSRF check for mutations sent with the session cookie.

The GraphQL view is exempt from ``CsrfViewMiddleware`` so that cookie-less clients and
queries work; this extension puts the same check back exactly where it matters: a
mutation from a browser that carries the session cookie.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ..request import request_from_info

CSRF_FAILED = "CSRF_FAILED"


class _Context:
    def __init__(self, context: object) -> None:
        self.context = context


def _csrf_failure(request: object) -> str | None:
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    response = middleware.process_view(request, None, (), {})  # type: ignore[arg-type]
    if response is None:
        return None
    return "CSRF verification failed: send the csrftoken cookie's value in X-CSRFToken."


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
