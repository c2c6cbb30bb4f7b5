"""Hostile input to the account operations: always an answer with errors, never a 500."""

from __future__ import annotations

import pytest

from tests.allauth.conftest import LOGIN, RESET, VERIFY, codes

pytestmark = pytest.mark.django_db(transaction=True)

KEYS = ["zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-abc", "-", "", "x" * 5000, "1-" + "a" * 3000, "\x00-\x00"]


@pytest.mark.parametrize("key", KEYS)
async def test_forged_keys_are_field_errors(gql, key):
    body = await gql.execute(RESET, {"key": key, "password": "a-long-Pass-phrase-42"})
    assert codes(body["data"]["accountResetPassword"]) == {"key": ["invalid_password_reset"]}
    body = await gql.execute(VERIFY, {"key": key})
    assert codes(body["data"]["accountVerifyEmail"]) == {"key": ["invalid_or_expired_key"]}


@pytest.mark.parametrize(
    ("login", "code"), [("a" * 10_000, "max_length"), ("ann\x00", "null_characters_not_allowed")]
)
async def test_odd_logins_are_field_errors(gql, login, code):
    body = await gql.execute(LOGIN, {"login": login, "password": "x"})
    assert codes(body["data"]["accountLogin"]) == {"login": [code]}


async def test_extra_must_be_an_object(gql):
    query = 'mutation { accountSignup(username: "a", extra: [1, 2]) { ok } }'
    body = await gql.execute(query)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_extra_values_of_any_json_type_are_form_input(gql):
    query = """mutation($extra: JSON) { accountSignup(email: "eve@example.com",
      password: "a-long-Pass-phrase-42", extra: $extra) {
        ok fieldErrors { field codes } nonFieldErrors { code } } }"""
    body = await gql.execute(query, {"extra": {"username": {"deep": [1, None]}}})
    assert body["data"]["accountSignup"] == {
        "ok": False,
        "fieldErrors": [{"field": "username", "codes": ["invalid"]}],
        "nonFieldErrors": [],
    }
