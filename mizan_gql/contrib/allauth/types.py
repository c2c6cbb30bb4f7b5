"""The GraphQL types of the account operations: the current user and a flow's outcome.

Errors reuse the forms' ``FormFieldError`` / ``FormError`` types, so a client handles an
account flow's errors exactly like a form submission's.
"""

from __future__ import annotations

import strawberry

from ...forms.types import FormError, FormFieldError

__all__ = ["AccountResult", "AccountUser"]


@strawberry.type(description="The signed-in user, as django-allauth sees it.")
class AccountUser:
    id: strawberry.ID
    username: str = strawberry.field(description="Empty when the user model has no username.")
    email: str | None = strawberry.field(description="The user's (primary) email address.")
    verified: bool = strawberry.field(
        description="True when that email address is verified (allauth's EmailAddress)."
    )
    is_staff: bool


@strawberry.type(
    description="The outcome of an account operation. `ok` is false when allauth refused it: "
    "the reasons are in `fieldErrors` (named like the operation's arguments) and "
    "`nonFieldErrors`, with allauth's error codes (e.g. `username_password_mismatch`, "
    "`rate_limited`)."
)
class AccountResult:
    ok: bool
    field_errors: list[FormFieldError]
    non_field_errors: list[FormError]
    user: AccountUser | None = strawberry.field(
        description="The signed-in user after the operation (null: nobody is signed in)."
    )
    pending: str | None = strawberry.field(
        default=None,
        description="The allauth login stage waiting for the user before they are signed in, "
        "e.g. `verify_email` (a verification email was sent) or `login_by_code`.",
    )
