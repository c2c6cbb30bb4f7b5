"""allauth's rate limits (ACCOUNT_RATE_LIMITS) apply to the GraphQL operations."""

from __future__ import annotations

import pytest

from tests.allauth.conftest import (
    CHANGE,
    LOGIN,
    PASSWORD,
    REQUEST_RESET,
    SIGNUP,
    codes,
    orm,
)

pytestmark = pytest.mark.django_db(transaction=True)

LIMITED = {"__all__": ["rate_limited"]}


async def login(gql, password: str = PASSWORD) -> dict:
    body = await gql.execute(LOGIN, {"login": "ann", "password": password})
    return body["data"]["accountLogin"]


async def test_login_rate_limit(gql, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    await orm(make_user, "ann")
    assert codes(await login(gql, "wrong")) == {"__all__": ["username_password_mismatch"]}
    assert codes(await login(gql, "wrong")) == {"__all__": ["username_password_mismatch"]}
    limited = await login(gql)
    assert codes(limited) == LIMITED and limited["user"] is None
    assert limited["nonFieldErrors"][0]["message"] == (
        "Be patient, you are sending too many requests."
    )


async def test_failed_logins_lock_the_account_even_for_the_right_password(gql, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,2/5m/key"}
    await orm(make_user, "ann")
    await login(gql, "wrong")
    await login(gql, "wrong")
    locked = await login(gql)
    assert codes(locked) == {"__all__": ["too_many_login_attempts"]}
    assert locked["user"] is None


async def test_signup_rate_limit(gql, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    first = await gql.execute(SIGNUP, {"username": "a1", "email": "a1@x.com", "password": PASSWORD})
    assert first["data"]["accountSignup"]["ok"] is True
    await gql.execute("mutation { accountLogout { ok } }")
    second = await gql.execute(
        SIGNUP, {"username": "a2", "email": "a2@x.com", "password": PASSWORD}
    )
    assert codes(second["data"]["accountSignup"]) == LIMITED


async def test_password_reset_rate_limit_per_address(gql, make_user, outbox, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,1/m/key"}
    await orm(make_user, "ann", verified=True)
    await orm(make_user, "bob", verified=True)
    ann = {"email": "ann@example.com"}
    assert (await gql.execute(REQUEST_RESET, ann))["data"]["accountRequestPasswordReset"]["ok"]
    again = await gql.execute(REQUEST_RESET, ann)
    assert codes(again["data"]["accountRequestPasswordReset"]) == LIMITED
    bob = await gql.execute(REQUEST_RESET, {"email": "bob@example.com"})
    assert bob["data"]["accountRequestPasswordReset"]["ok"] is True
    assert [m.to for m in outbox] == [["ann@example.com"], ["bob@example.com"]]


async def test_change_password_rate_limit_per_user(gql, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"change_password": "1/m/user"}
    user = await orm(make_user, "ann")
    await gql.force_login(user)
    first = await gql.execute(CHANGE, {"current": "wrong", "new": "long-enough-phrase-1"})
    assert codes(first["data"]["accountChangePassword"]) == {
        "currentPassword": ["enter_current_password"]
    }
    second = await gql.execute(CHANGE, {"current": PASSWORD, "new": "long-enough-phrase-1"})
    assert codes(second["data"]["accountChangePassword"]) == LIMITED


async def test_rate_limits_off(gql, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    await orm(make_user, "ann")
    for _ in range(12):
        assert codes(await login(gql, "wrong")) == {"__all__": ["username_password_mismatch"]}
