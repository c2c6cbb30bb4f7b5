"""Password reset (request, email, confirm with the key) and password change."""

from __future__ import annotations

import json

import pytest
from allauth.account.signals import password_changed, password_reset

from tests.allauth.conftest import (
    CHANGE,
    LOGIN,
    ME,
    PASSWORD,
    REQUEST_RESET,
    RESET,
    codes,
    data_of,
    invalidated,
    orm,
    reset_key,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "another-Long-phrase-7"


async def login_ok(gql, username: str, password: str) -> bool:
    body = await gql.execute(LOGIN, {"login": username, "password": password})
    return bool(body["data"]["accountLogin"]["ok"])


async def test_reset_request_email_and_confirm(gql, make_user, outbox):
    await orm(make_user, "ann", verified=True)
    seen: list[str] = []

    def on_reset(sender, request, user, **kwargs):
        seen.append(user.username)

    password_reset.connect(on_reset)
    try:
        requested = await gql.execute(REQUEST_RESET, {"email": "ann@example.com"})
        assert requested["data"]["accountRequestPasswordReset"]["ok"] is True
        assert [m.to for m in outbox] == [["ann@example.com"]]
        key = reset_key(outbox[0])

        response = await gql.post(RESET, {"key": key, "password": NEW_PASSWORD})
        result = data_of(json.loads(response.content), "accountResetPassword")
        assert result["ok"] is True
        # ACCOUNT_LOGIN_ON_PASSWORD_RESET is off: the user signs in themselves.
        assert result["user"] is None and invalidated(response) == []
    finally:
        password_reset.disconnect(on_reset)
    assert seen == ["ann"]

    assert await login_ok(gql, "ann", NEW_PASSWORD)
    # The key is spent: the token no longer matches the changed password.
    again = await gql.execute(RESET, {"key": key, "password": "yet-another-phrase-9"})
    assert codes(again["data"]["accountResetPassword"]) == {"key": ["invalid_password_reset"]}


async def test_reset_signs_in_with_login_on_password_reset(gql, make_user, outbox, settings):
    settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
    await orm(make_user, "ann", verified=True)
    await gql.execute(REQUEST_RESET, {"email": "ann@example.com"})
    response = await gql.post(RESET, {"key": reset_key(outbox[0]), "password": NEW_PASSWORD})
    result = data_of(json.loads(response.content), "accountResetPassword")
    assert result["user"]["username"] == "ann"
    assert invalidated(response) == ["current_user"]
    assert (await gql.execute(ME))["data"]["currentUser"]["username"] == "ann"


async def test_reset_errors(gql, make_user, outbox):
    await orm(make_user, "ann", verified=True)
    bad = await gql.execute(RESET, {"key": "1-not-a-token", "password": NEW_PASSWORD})
    assert codes(bad["data"]["accountResetPassword"]) == {"key": ["invalid_password_reset"]}

    await gql.execute(REQUEST_RESET, {"email": "ann@example.com"})
    weak = await gql.execute(RESET, {"key": reset_key(outbox[0]), "password": "short"})
    assert codes(weak["data"]["accountResetPassword"]) == {"password": ["password_too_short"]}
    assert await login_ok(gql, "ann", PASSWORD)


async def test_unknown_email_gets_no_key_and_no_enumeration(gql, outbox, settings):
    result = await gql.execute(REQUEST_RESET, {"email": "ghost@example.com"})
    assert result["data"]["accountRequestPasswordReset"]["ok"] is True
    # allauth's enumeration prevention: an "unknown account" email instead of a key.
    assert [m.to for m in outbox] == [["ghost@example.com"]]
    assert "/accounts/password/reset/key/" not in outbox[0].body

    settings.ACCOUNT_PREVENT_ENUMERATION = False
    result = await gql.execute(REQUEST_RESET, {"email": "ghost@example.com"})
    assert codes(result["data"]["accountRequestPasswordReset"]) == {"email": ["unknown_email"]}


async def test_change_password_keeps_the_session(gql, make_user):
    await orm(make_user, "ann", verified=True)
    await login_ok(gql, "ann", PASSWORD)
    seen: list[str] = []

    def on_change(sender, request, user, **kwargs):
        seen.append(user.username)

    password_changed.connect(on_change)
    try:
        response = await gql.post(CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD})
    finally:
        password_changed.disconnect(on_change)
    result = data_of(json.loads(response.content), "accountChangePassword")
    assert result["ok"] is True and result["user"]["username"] == "ann"
    assert seen == ["ann"]
    # Django would end every session on a password change; allauth keeps this one.
    assert (await gql.execute(ME))["data"]["currentUser"]["username"] == "ann"
    await gql.execute("mutation { accountLogout { ok } }")
    assert not await login_ok(gql, "ann", PASSWORD)
    assert await login_ok(gql, "ann", NEW_PASSWORD)


async def test_change_password_errors_and_auth(gql, make_user):
    anonymous = await gql.execute(CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD})
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    await orm(make_user, "ann")
    await login_ok(gql, "ann", PASSWORD)
    wrong = await gql.execute(CHANGE, {"current": "nope", "new": NEW_PASSWORD})
    assert codes(wrong["data"]["accountChangePassword"]) == {
        "currentPassword": ["enter_current_password"]
    }
    weak = await gql.execute(CHANGE, {"current": PASSWORD, "new": "short"})
    assert codes(weak["data"]["accountChangePassword"]) == {"newPassword": ["password_too_short"]}


async def test_logout_on_password_change(gql, make_user, settings):
    settings.ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
    await orm(make_user, "ann")
    await login_ok(gql, "ann", PASSWORD)
    response = await gql.post(CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD})
    result = data_of(json.loads(response.content), "accountChangePassword")
    assert result["ok"] is True and result["user"] is None
    assert invalidated(response) == ["current_user"]
    assert (await gql.execute(ME))["data"]["currentUser"] is None


async def test_an_account_without_a_usable_password_sets_one(gql, make_user):
    user = await orm(make_user, "ann")

    def unusable():
        user.set_unusable_password()
        user.save()

    await orm(unusable)
    await gql.force_login(user)
    result = await gql.execute(CHANGE, {"new": NEW_PASSWORD})
    assert result["data"]["accountChangePassword"]["ok"] is True
    await gql.execute("mutation { accountLogout { ok } }")
    assert await login_ok(gql, "ann", NEW_PASSWORD)


async def test_reset_by_code(gql, make_user, outbox, settings):
    settings.ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
    await orm(make_user, "ann", verified=True)
    await gql.execute(REQUEST_RESET, {"email": "ann@example.com"})
    [message] = outbox
    code = next(line.strip() for line in message.body.splitlines() if line.strip().isupper())

    wrong = await gql.execute(RESET, {"key": "WRONG1", "password": NEW_PASSWORD})
    assert codes(wrong["data"]["accountResetPassword"]) == {"key": ["incorrect_code"]}
    right = await gql.execute(RESET, {"key": code, "password": NEW_PASSWORD})
    assert right["data"]["accountResetPassword"]["ok"] is True
    assert await login_ok(gql, "ann", NEW_PASSWORD)


async def test_reset_by_code_needs_the_requesting_session(gql, make_user, settings):
    settings.ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
    await orm(make_user, "ann", verified=True)
    result = await gql.execute(RESET, {"key": "ABCDEF", "password": NEW_PASSWORD})
    assert codes(result["data"]["accountResetPassword"]) == {"key": ["incorrect_code"]}
