"""The account operations: allauth's forms and flows, called like its own views call them.

Each function takes the GraphQL arguments, runs allauth's form for the step (the one
``ACCOUNT_FORMS`` names, so project forms apply), then allauth's flow, so its settings,
adapter, signals, emails and rate limits behave as in its views. What allauth's views
answer with redirects becomes an :class:`AccountResult`. A step that changes who is
signed in (or their data) invalidates the ``current_user`` context.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from ...contexts import invalidate
from .outcome import allauth_request, from_error, from_form, rate_limited, succeeded
from .types import AccountResult
from .user import CONTEXT

__all__ = [
    "account_change_password",
    "account_login",
    "account_logout",
    "account_request_password_reset",
    "account_reset_password",
    "account_signup",
    "account_verify_email",
]


def account_login(request: Any, login: str, password: str, remember: bool = False) -> AccountResult:
    """Sign in with allauth's login form (ACCOUNT_LOGIN_METHODS say what `login` is).

    With mandatory email verification and an unverified address the user is not signed
    in: `pending` is `verify_email` and allauth sends a verification email.
    """
    from allauth.account import app_settings
    from allauth.account.forms import LoginForm
    from allauth.utils import get_form_class

    with allauth_request(request):
        if request.user.is_authenticated:
            return _already_signed_in(request)
        if not _consume(request, "login"):
            return rate_limited(request)
        form = get_form_class(app_settings.FORMS, "login", LoginForm)(
            data={"login": login, "password": password, "remember": remember}, request=request
        )
        if not form.is_valid():
            return from_form(request, form, {})
        _run_flow(form.login, request)
        if request.user.is_authenticated:
            invalidate(CONTEXT)
            return succeeded(request)
        result = succeeded(request)
        if result.pending is None:  # refused by the adapter's pre_login (inactive user ...)
            return _refused(request, form.user)
        return result


def account_logout(request: Any) -> AccountResult:
    """Sign out (allauth's logout: its adapter, the user_logged_out signal)."""
    from allauth.account.internal.flows.logout import logout

    with allauth_request(request):
        was_signed_in = request.user.is_authenticated
        logout(request)
        if was_signed_in:
            invalidate(CONTEXT)
        return succeeded(request)


def account_signup(
    request: Any,
    username: str | None = None,
    email: str | None = None,
    password: str | None = None,
    extra: dict[str, Any] | None = None,
) -> AccountResult:
    """Create an account with allauth's signup form; fields follow ACCOUNT_SIGNUP_FIELDS.

    `extra` carries the fields of a custom signup form (ACCOUNT_SIGNUP_FORM_CLASS), by
    their form field names. When the email must be verified first, `pending` is
    `verify_email`; otherwise the new user is signed in.
    """
    from allauth.account import app_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.forms import SignupForm
    from allauth.account.internal.flows.signup import complete_signup
    from allauth.utils import get_form_class

    with allauth_request(request):
        if request.user.is_authenticated:
            return _already_signed_in(request)
        if not get_adapter().is_open_for_signup(request):
            return from_error(request, ValidationError("Sign up is closed.", code="signup_closed"))
        if not _consume(request, "signup"):
            return rate_limited(request)
        data = {**(extra or {})}
        for names, value in ((("username",), username), (("email", "email2"), email)):
            data.update({name: value for name in names if value is not None})
        if password is not None:
            data["password1"] = data["password2"] = password
        form = get_form_class(app_settings.FORMS, "signup", SignupForm)(data=data)
        if not form.is_valid():
            return from_form(
                request, form, {"email2": "email", "password1": "password", "password2": "password"}
            )
        user, response = form.try_save(request)
        if response is None and user is not None:
            _run_flow(complete_signup, request, user=user)
        if request.user.is_authenticated:
            invalidate(CONTEXT)
        return succeeded(request)


def account_verify_email(request: Any, key: str) -> AccountResult:
    """Verify an email address with the key from allauth's verification email (or the code,
    with ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED). Signs in the user who is waiting on
    this verification in the same session, as allauth's view does."""
    from allauth.account import app_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.internal.flows.email_verification import login_on_verification

    with allauth_request(request):
        adapter = get_adapter()
        if app_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED:
            email_address = _verify_code(request, key)
        else:
            email_address = _verify_link_key(request, key)
        if isinstance(email_address, AccountResult):
            return email_address
        if email_address is None:
            return from_error(request, adapter.validation_error("invalid_or_expired_key"), "key")
        _run_flow(login_on_verification, request, email_address)
        invalidate(CONTEXT)
        return succeeded(request)


def account_request_password_reset(request: Any, email: str) -> AccountResult:
    """Send allauth's password reset email (for an unknown address too, when allauth
    prevents account enumeration)."""
    from allauth.account import app_settings
    from allauth.account.forms import ResetPasswordForm
    from allauth.utils import get_form_class

    with allauth_request(request):
        form = get_form_class(app_settings.FORMS, "reset_password", ResetPasswordForm)(
            data={"email": email}
        )
        if not form.is_valid():
            return from_form(request, form, {})
        if not _consume(request, "reset_password", key=form.cleaned_data["email"].lower()):
            return rate_limited(request)
        form.save(request)
        return succeeded(request)


def account_reset_password(request: Any, key: str, password: str) -> AccountResult:
    """Set a new password with the key of allauth's reset email (the part of the link
    after `/key/`: `<uidb36>-<token>`), or the emailed code with
    ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED (same session as the request). Signs in when
    ACCOUNT_LOGIN_ON_PASSWORD_RESET."""
    from allauth.account import app_settings
    from allauth.account.adapter import get_adapter
    from allauth.account.forms import ResetPasswordKeyForm, UserTokenForm
    from allauth.account.internal.flows.logout import logout
    from allauth.account.internal.flows.password_reset import finalize_password_reset
    from allauth.utils import get_form_class

    with allauth_request(request):
        if not _consume(request, "reset_password_from_key"):
            return rate_limited(request)
        process = None
        if app_settings.PASSWORD_RESET_BY_CODE_ENABLED:
            process, user = _reset_code_user(request, key)
            token = key
        else:
            uidb36, _, token = key.partition("-")
            token_form = get_form_class(app_settings.FORMS, "user_token", UserTokenForm)(
                data={"uidb36": uidb36, "key": token}
            )
            user = token_form.reset_user if token_form.is_valid() else None
        if user is None:
            by_code = app_settings.PASSWORD_RESET_BY_CODE_ENABLED
            error = "incorrect_code" if by_code else "invalid_password_reset"
            return from_error(request, get_adapter().validation_error(error), "key")
        before = request.user.pk
        if request.user.is_authenticated and request.user.pk != user.pk:
            logout(request)  # as allauth's view: never keep another account signed in
        form = get_form_class(app_settings.FORMS, "reset_password_from_key", ResetPasswordKeyForm)(
            data={"password1": password, "password2": password}, user=user, temp_key=token
        )
        if not form.is_valid():
            return from_form(request, form, {"password1": "password", "password2": "password"})
        form.save()
        if process is not None:
            process.confirm_code()
            _run_flow(process.finish)
        else:
            _run_flow(finalize_password_reset, request, user)
        if request.user.pk != before:
            invalidate(CONTEXT)
        return succeeded(request)


def account_change_password(
    request: Any, new_password: str, current_password: str | None = None
) -> AccountResult:
    """Change the signed-in user's password (or set one, for an account without a usable
    password). With ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE the user is signed out."""
    from allauth.account import app_settings
    from allauth.account.forms import ChangePasswordForm, SetPasswordForm
    from allauth.account.internal.flows import password_change
    from allauth.utils import get_form_class

    with allauth_request(request):
        if not _consume(request, "change_password"):
            return rate_limited(request)
        user = request.user
        data = {"password1": new_password, "password2": new_password}
        names = {"password1": "newPassword", "password2": "newPassword"}
        if user.has_usable_password():
            form_class = get_form_class(app_settings.FORMS, "change_password", ChangePasswordForm)
            data["oldpassword"] = current_password or ""
            names["oldpassword"] = "currentPassword"
            finalize = password_change.finalize_password_change
        else:
            refused = _reauthentication_required(request)
            if refused is not None:
                return refused
            form_class = get_form_class(app_settings.FORMS, "set_password", SetPasswordForm)
            finalize = password_change.finalize_password_set
        form = form_class(data=data, user=user)
        if not form.is_valid():
            return from_form(request, form, names)
        form.save()
        finalize(request, user)
        if not request.user.is_authenticated:
            invalidate(CONTEXT)
        return succeeded(request)


# -- helpers ----------------------------------------------------------------------------
def _consume(request: Any, action: str, key: str | None = None) -> bool:
    """Count the operation against allauth's rate limit ``action`` (ACCOUNT_RATE_LIMITS)."""
    from allauth.core import ratelimit

    return ratelimit.consume(request, action=action, key=key)


def _run_flow(flow: Any, *args: Any, **kwargs: Any) -> None:
    """Run an allauth flow; the response it gives is for its HTML views, not for us."""
    from allauth.core.exceptions import ImmediateHttpResponse

    try:
        flow(*args, **kwargs)
    except ImmediateHttpResponse:
        pass


def _already_signed_in(request: Any) -> AccountResult:
    return from_error(
        request,
        ValidationError("You are already signed in; sign out first.", code="already_signed_in"),
    )


def _refused(request: Any, user: Any) -> AccountResult:
    if user is not None and not user.is_active:
        error = ValidationError("This account is inactive.", code="account_inactive")
    else:
        error = ValidationError("The sign in was refused.", code="login_refused")
    return from_error(request, error)


def _reauthentication_required(request: Any) -> AccountResult | None:
    from allauth.account.internal.flows.reauthentication import (
        raise_if_reauthentication_required,
    )
    from allauth.core.exceptions import ReauthenticationRequired

    try:
        raise_if_reauthentication_required(request, app="allauth.account")
    except ReauthenticationRequired:
        return from_error(
            request,
            ValidationError(
                "Confirm your identity again (reauthenticate) first.",
                code="reauthentication_required",
            ),
        )
    return None


def _reset_code_user(request: Any, code: str) -> tuple[Any, Any]:
    """The code-based reset waiting in this session and its user if ``code`` matches."""
    from allauth.account.internal.flows.password_reset_by_code import (
        PasswordResetVerificationProcess,
    )
    from allauth.core.internal.cryptokit import compare_user_code

    process = PasswordResetVerificationProcess.resume(request)
    if process is None:
        return None, None
    if not process.user or not compare_user_code(actual=code, expected=process.code):
        process.record_invalid_attempt()
        return process, None
    return process, process.user


def _verify_link_key(request: Any, key: str) -> Any:
    from allauth.account.adapter import get_adapter
    from allauth.account.models import get_emailconfirmation_model

    verification = get_emailconfirmation_model().from_key(key)
    if not verification or verification.key_expired():
        return None
    if not verification.email_address.can_set_verified():
        return from_error(request, get_adapter().validation_error("email_taken"), "key")
    return verification.confirm(request)


def _verify_code(request: Any, code: str) -> Any:
    from allauth.account.adapter import get_adapter
    from allauth.account.internal.flows.email_verification_by_code import (
        EmailVerificationProcess,
    )
    from allauth.core.internal.cryptokit import compare_user_code

    adapter = get_adapter()
    process = EmailVerificationProcess.resume(request)
    if not process:
        return from_error(request, adapter.validation_error("incorrect_code"), "key")
    if not compare_user_code(actual=code, expected=process.code):
        process.record_invalid_attempt()
        return from_error(request, adapter.validation_error("incorrect_code"), "key")
    if not process.email_address.can_set_verified():
        return from_error(request, adapter.validation_error("email_taken"), "key")
    return process.finish()
