"""File uploads: the GraphQL multipart request spec, bounded and safe against cross-site requests.

A browser may send ``multipart/form-data`` cross-site without a CORS preflight (it is a
"simple" request), so a multipart request needs a header no simple request can carry, as
Apollo's CSRF prevention requires: a non-empty ``Apollo-Require-Preflight``,
``X-Apollo-Operation-Name`` or Django's CSRF header (``X-CSRFToken``).

- A multipart request the browser marks as cross-origin (its ``Origin``, else its
  ``Sec-Fetch-Site``) without such a header is refused before its body is read
  (:func:`refuse_cross_origin`), whatever operation it holds: queries too, since its files
  would be received and handed to a function with the visitor's cookies.
- A multipart mutation without such a header is refused however it was sent
  (:class:`MultipartPreflight`).

Cookie-authenticated mutations also pass Django's CSRF check
(:class:`mizan_gql.csrf.MutationCSRF`). The files of one request may carry at most
``MIZAN["MAX_UPLOAD_SIZE"]`` bytes together (:func:`limit_uploads`); Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds the other parts, as for any request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.http import is_same_domain
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ..conf import mizan_settings
from ..constants import CSRF_FAILED
from ..request import request_from_context

__all__ = [
    "PREFLIGHT_HEADERS",
    "CrossOriginUpload",
    "MultipartPreflight",
    "UploadLimit",
    "UploadTooLarge",
    "has_preflight_header",
    "is_cross_origin",
    "limit_uploads",
    "refuse_cross_origin",
]

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


def is_cross_origin(request: Any) -> bool:
    """Whether the browser says ``request`` comes from a page of another origin.

    Its ``Origin`` decides when sent (browsers send it with every cross-origin POST): the
    request's own origin and ``CSRF_TRUSTED_ORIGINS`` (wildcards included) are the same
    site, as for Django's CSRF check; ``null`` is not. Without it, ``Sec-Fetch-Site`` other
    than ``same-origin``/``none`` is cross-origin. A request with neither header comes from
    no browser page.
    """
    meta = request.META
    origin = meta.get("HTTP_ORIGIN")
    if origin is not None:
        return not _trusted_origin(request, origin)
    return meta.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none")


def _trusted_origin(request: Any, origin: str) -> bool:
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    if origin == own or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parsed = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        pattern = urlsplit(trusted)
        if (
            "*" in trusted
            and pattern.scheme == parsed.scheme
            and is_same_domain(parsed.netloc, pattern.netloc.removeprefix("*"))
        ):
            return True
    return False


class CrossOriginUpload(Exception):
    """A multipart request from another origin without a preflight-forcing header: 403
    ``CSRF_FAILED``, its body left unread."""

    def __init__(self) -> None:
        super().__init__(MESSAGE)


def refuse_cross_origin(request: Any) -> None:
    """Raise :class:`CrossOriginUpload` for a cross-origin multipart request without a
    preflight-forcing header (call it before the body is parsed)."""
    if is_cross_origin(request) and not has_preflight_header(request):
        raise CrossOriginUpload()


class UploadTooLarge(RequestDataTooBig):
    """The files of a multipart request exceed ``MIZAN["MAX_UPLOAD_SIZE"]``: 413."""


class UploadLimit(FileUploadHandler):
    """Count the bytes of every file part as Django's parser reads them, and stop the
    request past ``limit`` (the handlers after it store the files, in memory or on disk)."""

    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise too_large(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def too_large(limit: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"The files of this request exceed MIZAN['MAX_UPLOAD_SIZE'] ({limit} bytes)."
    )


def limit_uploads(request: Any) -> None:
    """Bound the files of ``request`` (a multipart request) by ``MAX_UPLOAD_SIZE``.

    Before the body is parsed, the parser stops at the limit; if something parsed it
    already (a middleware reading ``request.POST``), the files it kept are measured.
    """
    limit: int | None = mizan_settings.MAX_UPLOAD_SIZE
    if limit is None:
        return
    try:
        request.upload_handlers.insert(0, UploadLimit(request, limit))
    except AttributeError:  # parsed already: Django froze the list of handlers
        if sum(upload.size for _, files in request.FILES.lists() for upload in files) > limit:
            raise too_large(limit) from None


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
