"""File uploads: the GraphQL multipart request spec, safe against cross-site requests.

A browser may send ``multipart/form-data`` cross-site without a CORS preflight (it is a
"simple" request), so a multipart request runs a mutation only when it carries a header
no simple request can carry, as Apollo's CSRF prevention requires: a non-empty
``Apollo-Require-Preflight``, ``X-Apollo-Operation-Name`` or Django's CSRF header
(``X-CSRFToken``). Cookie-authenticated requests also pass Django's CSRF check
(:class:`mizan_gql.csrf.MutationCSRF`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ..constants import CSRF_FAILED
from ..request import request_from_context

__all__ = ["MultipartPreflight", "PREFLIGHT_HEADERS", "has_preflight_header"]

PREFLIGHT_HEADERS = ("HTTP_APOLLO_REQUIRE_PREFLIGHT", "HTTP_X_APOLLO_OPERATION_NAME")

MESSAGE = (
    "This multipart request was refused as a possible cross-site request forgery: send a "
    "non-empty Apollo-Require-Preflight (or X-CSRFToken) header with file uploads."
)


def has_preflight_header(request: Any) -> bool:
    meta = getattr(request, "META", None) or {}
    names = (*PREFLIGHT_HEADERS, settings.CSRF_HEADER_NAME)
    return any(str(meta.get(name, "")).strip() for name in names)


def is_multipart(request: Any) -> bool:
    content_type = str(getattr(request, "content_type", "") or "")
    return content_type.split(";")[0].strip().lower() == "multipart/form-data"


class MultipartPreflight(SchemaExtension):
    """Refuse mutations sent as multipart requests without a preflight-forcing header."""

    prepared_query = "skip"  # it acts on mutations only

    def on_execute(self) -> Iterator[None]:
        execution_context = self.execution_context
        if (
            execution_context.operation_type == OperationType.MUTATION
            and execution_context.result is None
        ):
            request = request_from_context(execution_context.context)
            if is_multipart(request) and not has_preflight_header(request):
                # A preset result makes Strawberry skip execution entirely.
                execution_context.result = ExecutionResult(
                    data=None, errors=[GraphQLError(MESSAGE, extensions={"code": CSRF_FAILED})]
                )
        yield
