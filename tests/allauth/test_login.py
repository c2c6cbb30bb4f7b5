"""Login and logout through /graphql with allauth's login form, adapter and signals."""

from __future__ import annotations

import json

import pytest
from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out

from tests.allauth.conftest import (
    LOGIN,
    LOGOUT,
    ME,
    PASSWORD,
    codes,
    data_of,
    invalidated,
    orm,
    verification_key,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def login(gql, username: str, password: str = PASSWORD):
    response = await gql.post(LOGIN, {"login": username, "password": password})
    return response, data_of(json.loads(response.content), "accountLogin")


async def test_login_signs_in_and_the_current_user_context_follows(gql, make_user):
    user = await orm(make_user, "ann", verified=True)
    assert (await gql.execute(ME))["data"]["currentUser"] is None

    response, result = await login(gql, "ann")
    assert result["ok"] is True and result["pending"] is None
    assert result["user"] == {
        "id": str(user.pk),
        "username": "ann",
        "email": "ann@example.com",
        "verified": True,
        "isStaff": False,
    }
    assert codes(result) == {}
    assert invalidated(response) == ["current_user"]
    # The session cookie of that response signs in the next request.
    assert (await gql.execute(ME))["data"]["currentUser"]["username"] == "ann"


async def test_allauth_signals_fire(gql, make_user):
    await orm(make_user, "ann")
    seen: list[str] = []

    def on_login(sender, request, user, **kwargs):
        seen.append(f"in:{user.username}")

    def on_logout(sender, request, user, **kwargs):
        seen.append(f"out:{user.username}")

    user_logged_in.connect(on_login)
    user_logged_out.connect(on_logout)
    try:
        await login(gql, "ann")
        await gql.execute(LOGOUT)
    finally:
        user_logged_in.disconnect(on_login)
        user_logged_out.disconnect(on_logout)
    assert seen == ["in:ann", "out:ann"]


@pytest.mark.parametrize("username", ["ann", "nobody"])
async def test_a_wrong_password_or_unknown_user_is_a_form_error(gql, make_user, username):
    await orm(make_user, "ann")
    response, result = await login(gql, username, "not-the-password")
    assert result["ok"] is False and result["user"] is None
    assert codes(result) == {"__all__": ["username_password_mismatch"]}
    assert result["nonFieldErrors"][0]["message"] == (
        "The username and/or password you specified are not correct."
    )
    assert "X-Mizan-Invalidate" not in response.headers
    assert (await gql.execute(ME))["data"]["currentUser"] is None


async def test_missing_login_is_a_field_error(gql):
    _, result = await login(gql, "", PASSWORD)
    assert codes(result) == {"login": ["required"]}


async def test_email_login_method_follows_allauth_settings(gql, make_user, settings):
    settings.ACCOUNT_LOGIN_METHODS = {"email"}
    settings.ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
    await orm(make_user, "ann", verified=True)
    _, result = await login(gql, "ann")
    assert codes(result) == {"login": ["invalid"]}  # allauth's form wants an email now
    _, result = await login(gql, "ann@example.com")
    assert result["ok"] is True and result["user"]["username"] == "ann"


async def test_logout_ends_the_session_and_invalidates(gql, make_user):
    await orm(make_user, "ann")
    await login(gql, "ann")
    response = await gql.post(LOGOUT)
    result = data_of(json.loads(response.content), "accountLogout")
    assert result["ok"] is True and result["user"] is None
    assert invalidated(response) == ["current_user"]
    assert (await gql.execute(ME))["data"]["currentUser"] is None


async def test_logout_when_signed_out_changes_nothing(gql):
    response = await gql.post(LOGOUT)
    assert data_of(json.loads(response.content), "accountLogout")["ok"] is True
    assert invalidated(response) == []


async def test_login_while_signed_in_is_refused(gql, make_user):
    await orm(make_user, "ann")
    await orm(make_user, "bob")
    await login(gql, "ann")
    response, result = await login(gql, "bob")
    assert codes(result) == {"__all__": ["already_signed_in"]}
    assert result["user"]["username"] == "ann"
    assert invalidated(response) == []


async def test_an_inactive_user_cannot_sign_in(gql, make_user, settings):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    await orm(make_user, "ann", is_active=False)
    _, result = await login(gql, "ann")
    assert result["ok"] is False and result["user"] is None
    assert codes(result) == {"__all__": ["account_inactive"]}


async def test_unverified_email_blocks_login_when_verification_is_mandatory(
    gql, make_user, outbox, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    await orm(make_user, "ann", verified=False)

    response, result = await login(gql, "ann")
    assert result["ok"] is True  # the credentials were right ...
    assert result["user"] is None and result["pending"] == "verify_email"  # ... but not yet
    assert invalidated(response) == []
    assert (await gql.execute(ME))["data"]["currentUser"] is None
    assert [m.to for m in outbox] == [["ann@example.com"]]

    verified = await gql.execute(
        "mutation($key: String!) { accountVerifyEmail(key: $key) { ok user { verified } } }",
        {"key": verification_key(outbox[0])},
    )
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION is off: verified, still signed out.
    assert verified["data"]["accountVerifyEmail"] == {"ok": True, "user": None}
    _, result = await login(gql, "ann")
    assert result["ok"] is True and result["user"]["verified"] is True


async def test_verification_signs_in_the_waiting_login_when_allauth_says_so(
    gql, make_user, outbox, settings
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
    await orm(make_user, "ann", verified=False)
    await login(gql, "ann")
    response = await gql.post(
        "mutation($key: String!) { accountVerifyEmail(key: $key) { ok user { username } } }",
        {"key": verification_key(outbox[0])},
    )
    assert json.loads(response.content)["data"]["accountVerifyEmail"] == {
        "ok": True,
        "user": {"username": "ann"},
    }
    assert invalidated(response) == ["current_user"]
    assert (await gql.execute(ME))["data"]["currentUser"]["username"] == "ann"
