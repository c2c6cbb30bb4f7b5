"""The auth matrix: every kind of user against every ``auth=`` option."""

import pytest

from tests.conftest import codes_of
from tests.testapp import mizan_clients

pytestmark = pytest.mark.django_db(transaction=True)

OK, UNAUTH, FORBIDDEN = "ok", "UNAUTHENTICATED", "FORBIDDEN"

FIELDS = {
    "True": ("secretUser", "user-secret"),
    "staff": ("secretStaff", "staff-secret"),
    "superuser": ("secretSuperuser", "superuser-secret"),
    "callable": ("secretAlice", "alice-secret"),
}

# who -> expected outcome for auth=True, 'staff', 'superuser', callable
MATRIX = {
    "anonymous": (UNAUTH, UNAUTH, UNAUTH, UNAUTH),
    "user": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "callable": (OK, FORBIDDEN, FORBIDDEN, OK),
    "staff": (OK, OK, FORBIDDEN, FORBIDDEN),
    "superuser": (OK, OK, OK, FORBIDDEN),
}

CASES = [
    pytest.param(who, option, outcome, id=f"{who}-{option}")
    for who, outcomes in MATRIX.items()
    for option, outcome in zip(FIELDS, outcomes, strict=True)
]


@pytest.mark.parametrize(("who", "option", "outcome"), CASES)
async def test_auth_matrix(gql, users, who, option, outcome):
    if users[who] is not None:
        await gql.force_login(users[who])
    field, secret = FIELDS[option]
    response = await gql.post(f"{{ {field} }}")
    assert response.status_code == 200
    body = response.json()
    if outcome == OK:
        assert body == {"data": {field: secret}}
    else:
        assert body["data"] is None
        assert codes_of(body) == [outcome]
        assert body["errors"][0]["path"] == [field]
        assert secret.encode() not in response.content


async def test_denial_in_a_query_with_other_fields_leaks_nothing(gql):
    body = await gql.execute('{ secretUser echo(text: "x") { message } }')
    assert body["data"] is None  # secretUser is non-null, so the error bubbles to the root
    assert codes_of(body) == [UNAUTH]


async def test_mutation_requires_auth(gql, users):
    body = await gql.execute('mutation { setNote(text: "x") { message } }')
    assert codes_of(body) == [UNAUTH]
    await gql.force_login(users["user"])
    body = await gql.execute('mutation { setNote(text: "x") { message } }')
    assert body == {"data": {"setNote": {"message": "saved x"}}}


async def test_auth_is_checked_before_arguments_are_validated_or_used(gql):
    mizan_clients.CALLS.clear()
    body = await gql.execute("{ guardedPositive(value: 0) }")
    assert codes_of(body) == [UNAUTH]
    assert "fieldErrors" not in body["errors"][0]["extensions"]
    assert mizan_clients.CALLS == []


async def test_signed_in_user_then_gets_argument_validation(gql, users):
    await gql.force_login(users["user"])
    body = await gql.execute("{ guardedPositive(value: 0) }")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert await gql.execute("{ guardedPositive(value: 4) }") == {"data": {"guardedPositive": 4}}


async def test_auth_callable_may_answer_with_its_own_code(gql, users):
    await gql.force_login(users["superuser"])
    response = await gql.post("{ premium }")
    body = response.json()
    assert body["data"] is None
    assert codes_of(body) == ["PAYMENT_REQUIRED"]
    assert body["errors"][0]["message"] == "Subscribe to read this"
    assert b"premium-secret" not in response.content
