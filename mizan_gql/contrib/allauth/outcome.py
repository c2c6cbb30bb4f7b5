"""Turning what allauth says (form errors, rate limits, login stages) into AccountResult."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from ...exceptions import ClientError
from ...forms.binding import form_errors
from ...forms.types import FormError, FormFieldError
from ...request import WebSocketRequest
from .types import AccountResult
from .user import account_user

__all__ = [
    "allauth_request",
    "failed",
    "from_error",
    "from_form",
    "pending_stage",
    "rate_limited",
    "succeeded",
]


@contextmanager
def allauth_request(request: Any) -> Iterator[None]:
    """Run an account operation the way allauth's own views run (its request context).

    Over the WebSocket the session cookie cannot be replaced, so signing in or out there
    would leave the browser with a stale session: those operations need HTTP.
    """
    if request is None or isinstance(request, WebSocketRequest):
        raise ClientError(
            "Account operations run over HTTP (POST /graphql): a WebSocket cannot update "
            "the session cookie",
            code="BAD_REQUEST",
        )
    from allauth.core import context

    if not hasattr(request, "allauth"):  # AccountMiddleware sets it on HTTP requests
        request.allauth = SimpleNamespace()
    with context.request_context(request):
        yield


def succeeded(request: Any) -> AccountResult:
    """The operation was carried out; report who is signed in and any pending stage."""
    return AccountResult(
        ok=True,
        field_errors=[],
        non_field_errors=[],
        user=account_user(request.user),
        pending=pending_stage(request),
    )


def failed(
    request: Any,
    field_errors: list[FormFieldError] | None = None,
    non_field_errors: list[FormError] | None = None,
) -> AccountResult:
    return AccountResult(
        ok=False,
        field_errors=field_errors or [],
        non_field_errors=non_field_errors or [],
        user=account_user(request.user),
        pending=pending_stage(request),
    )


def from_form(request: Any, form: forms.BaseForm, names: Mapping[str, str]) -> AccountResult:
    """A failed result with ``form``'s errors; ``names`` maps form fields to argument names.

    Several form fields may stand for one argument (allauth's ``password1``/``password2``
    are both ``password``): their errors are reported once, under that argument.
    """
    field_errors, non_field = form_errors(form, dict(names))
    merged: dict[str, FormFieldError] = {}
    for error in field_errors:
        if error.field in merged:
            seen = merged[error.field]
            for message, code in zip(error.messages, error.codes, strict=True):
                if message not in seen.messages:
                    seen.messages.append(message)
                    seen.codes.append(code)
        else:
            merged[error.field] = error
    return failed(request, list(merged.values()), non_field)


def from_error(request: Any, error: ValidationError, field: str | None = None) -> AccountResult:
    """A failed result for a ValidationError allauth raised (on ``field``, or the whole)."""
    pairs = [(str(m), e.code or "invalid") for e in error.error_list for m in e.messages]
    if field is None:
        return failed(request, non_field_errors=[FormError(message=m, code=c) for m, c in pairs])
    error_entry = FormFieldError(
        field=field, messages=[m for m, _ in pairs], codes=[c for _, c in pairs]
    )
    return failed(request, field_errors=[error_entry])


def rate_limited(request: Any) -> AccountResult:
    """allauth's rate limit refused the operation (its views would answer 429)."""
    from allauth.account.adapter import get_adapter

    message = str(get_adapter().error_messages["rate_limited"])
    return failed(request, non_field_errors=[FormError(message=message, code="rate_limited")])


def pending_stage(request: Any) -> str | None:
    """The key of the login stage waiting for the user (``verify_email`` ...), if any."""
    from allauth.account.internal.stagekit import get_pending_stage

    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    stage = get_pending_stage(request)
    return str(stage.key) if stage is not None else None
