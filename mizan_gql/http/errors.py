"""HTTP-level refusals as GraphQL error bodies (``{"errors": [...]}`` with a code)."""

from __future__ import annotations

import json

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse

CODES = {
    400: "BAD_REQUEST",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
}


def error_response(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> HttpResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code or CODES[status]}}]}
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/json", headers=headers
    )
    response["Cache-Control"] = "no-store"
    return response


def too_many_parts(exc: TooManyFieldsSent | TooManyFilesSent) -> HttpResponse:
    """Django's limits on parameters and files, answered as a GraphQL error body (400)."""
    limit = "DATA_UPLOAD_MAX_NUMBER_FIELDS"
    if isinstance(exc, TooManyFilesSent):
        limit = "DATA_UPLOAD_MAX_NUMBER_FILES"
    return error_response(400, f"The request has more parts than {limit} allows.")
