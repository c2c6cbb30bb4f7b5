"""Responses every HTTP endpoint of mizan_gql makes alike.

- Refusals at the HTTP level as GraphQL error bodies (``{"errors": [...]}`` with a code).
- Responses shared by every user (public contexts): they refuse cookies, whatever
  middleware runs after the view (a session saved on every request, a rotated CSRF token).
"""

from __future__ import annotations

import json
import logging
from http.cookies import SimpleCookie
from typing import Any

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, HttpResponseBase

__all__ = ["CODES", "NoCookies", "error_response", "make_public", "too_many_parts"]

logger = logging.getLogger("mizan_gql")

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


class NoCookies:
    """A response shared by every user: cookies set on it are dropped."""

    def set_cookie(self, key: str, *args: Any, **kwargs: Any) -> None:
        logger.debug("Dropped the cookie %r on a public response", key)

    def delete_cookie(self, key: str, *args: Any, **kwargs: Any) -> None:
        logger.debug("Dropped a deletion of the cookie %r on a public response", key)


_classes: dict[type, type] = {}


def make_public(response: HttpResponseBase) -> HttpResponseBase:
    """Make ``response`` refuse cookies from now on and forget those it has."""
    cls = type(response)
    if not issubclass(cls, NoCookies):
        public = _classes.get(cls)
        if public is None:
            public = _classes[cls] = type(f"Public{cls.__name__}", (NoCookies, cls), {})
        response.__class__ = public
    response.cookies = SimpleCookie()
    return response
