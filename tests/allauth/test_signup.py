"""Signup and email verification end to end, with allauth's forms, settings and emails."""

from __future__ import annotations

import json

import pytest
from allauth.account.signals import email_confirmed, user_signed_up

from tests.allauth.conftest import (
    LOGIN,
    ME,
    PASSWORD,
    SIGNUP,
    VERIFY,
    codes,
    data_of,
    invalidated,
    orm,
    verification_key,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def signup(gql, **variables):
    response = await gql.post(SIGNUP, variables)
    return response, data_of(json.loads(response.content), "accountSignup")


async def test_mandatory_verification_signup_verify_then_login(gql, outbox, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    seen: list[str] = []

    def on_signup(sender, request, user, **kwargs):
        seen.append(f"signed_up:{user.username}")

    def on_confirmed(sender, request, email_address, **kwargs):
        seen.append(f"confirmed:{email_address.email}")

    user_signed_up.connect(on_signup)
    email_confirmed.connect(on_confirmed)
    try:
        response, result = await signup(
            gql, username="ann", email="Ann@Example.com", password=PASSWORD
        )
        assert result["ok"] is True
        assert result["user"] is None and result["pending"] == "verify_email"
        assert invalidated(response) == []
        assert [m.to for m in outbox] == [["ann@example.com"]]

        # A login before verifying is held at the same stage (and sends no second email
        # within allauth's cooldown).
        login = await gql.execute(LOGIN, {"login": "ann", "password": PASSWORD})
        assert login["data"]["accountLogin"]["pending"] == "verify_email"
        assert len(outbox) == 1

        response = await gql.post(VERIFY, {"key": verification_key(outbox[0])})
        verified = data_of(json.loads(response.content), "accountVerifyEmail")
        assert verified["ok"] is True and verified["pending"] is None
        assert invalidated(response) == ["current_user"]

        login = await gql.execute(LOGIN, {"login": "ann", "password": PASSWORD})
        assert login["data"]["accountLogin"]["user"] == {
            "id": login["data"]["accountLogin"]["user"]["id"],
            "username": "ann",
            "email": "ann@example.com",
            "verified": True,
            "isStaff": False,
        }
    finally:
        user_signed_up.disconnect(on_signup)
        email_confirmed.disconnect(on_confirmed)
    assert seen == ["signed_up:ann", "confirmed:ann@example.com"]


async def test_optional_verification_signs_in_at_once_and_verifying_updates_the_user(gql, outbox):
    response, result = await signup(gql, username="bob", email="bob@example.com", password=PASSWORD)
    assert result["ok"] is True and result["pending"] is None
    assert result["user"]["username"] == "bob" and result["user"]["verified"] is False
    assert invalidated(response) == ["current_user"]
    assert (await gql.execute(ME))["data"]["currentUser"]["verified"] is False

    assert len(outbox) == 1  # allauth sends the verification email on signup
    await gql.execute(VERIFY, {"key": verification_key(outbox[0])})
    assert (await gql.execute(ME))["data"]["currentUser"]["verified"] is True


async def test_verification_by_code(gql, outbox, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
    _, result = await signup(gql, username="cat", email="cat@example.com", password=PASSWORD)
    assert result["pending"] == "verify_email"
    code = next(line.strip() for line in outbox[0].body.splitlines() if line.strip().isupper())

    wrong = await gql.execute(VERIFY, {"key": "WRONG1"})
    assert codes(wrong["data"]["accountVerifyEmail"]) == {"key": ["incorrect_code"]}
    response = await gql.post(VERIFY, {"key": code})
    result = data_of(json.loads(response.content), "accountVerifyEmail")
    # Verifying by code finishes the waiting signup: the user is signed in.
    assert result["ok"] is True and result["user"]["verified"] is True
    assert invalidated(response) == ["current_user"]


async def test_invalid_input_comes_back_as_field_errors(gql):
    _, result = await signup(gql, email="not-an-email", password="short")
    assert result["ok"] is False and result["user"] is None
    assert codes(result) == {
        "username": ["required"],
        "email": ["invalid"],
        "password": ["password_too_short"],
    }
    messages = {e["field"]: e["messages"] for e in result["fieldErrors"]}
    assert messages["password"] == [
        "This password is too short. It must contain at least 10 characters."
    ]


async def test_a_taken_username_is_a_field_error(gql, make_user):
    await orm(make_user, "ann")
    _, result = await signup(gql, username="ann", email="x@example.com", password=PASSWORD)
    assert codes(result) == {"username": ["username_taken"]}


async def test_a_project_signup_form_gets_its_fields_from_extra(gql, settings):
    settings.ACCOUNT_FORMS = {"signup": "tests.allauth_app.forms.InviteSignupForm"}
    query = """mutation($extra: JSON, $password: String) {
      accountSignup(username: "eve", email: "eve@example.com", password: $password, extra: $extra) {
        ok user { username } fieldErrors { field codes } } }"""
    refused = await gql.execute(query, {"extra": {"invite": "guess"}, "password": PASSWORD})
    assert refused["data"]["accountSignup"] == {
        "ok": False,
        "user": None,
        "fieldErrors": [{"field": "invite", "codes": ["bad_invite"]}],
    }
    accepted = await gql.execute(query, {"extra": {"invite": "sesame"}, "password": PASSWORD})
    assert accepted["data"]["accountSignup"]["user"] == {"username": "eve"}


async def test_signup_closed_by_the_adapter(gql, settings):
    settings.ACCOUNT_ADAPTER = "tests.allauth_app.adapters.ClosedSignupAdapter"
    _, result = await signup(gql, username="dan", email="dan@example.com", password=PASSWORD)
    assert codes(result) == {"__all__": ["signup_closed"]}


async def test_a_bad_verification_key_is_a_field_error(gql):
    response = await gql.post(VERIFY, {"key": "not-a-key"})
    result = data_of(json.loads(response.content), "accountVerifyEmail")
    assert result["ok"] is False
    assert codes(result) == {"key": ["invalid_or_expired_key"]}
    assert invalidated(response) == []


@pytest.mark.parametrize("verification", ["mandatory", "optional"])
async def test_a_taken_email_answers_like_allauth(gql, make_user, outbox, settings, verification):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    await orm(make_user, "ann", verified=True)
    _, result = await signup(gql, username="ann2", email="ann@example.com", password=PASSWORD)
    if verification == "mandatory":
        # allauth prevents enumeration: the answer of a fresh signup, and an email telling
        # the owner that the account exists.
        assert result["ok"] is True
        assert result["user"] is None and result["pending"] == "verify_email"
        assert [m.to for m in outbox] == [["ann@example.com"]]
        assert "/accounts/confirm-email/" not in outbox[0].body
    else:
        assert codes(result) == {"email": ["email_taken"]}
