"""Pydantic constraints on arguments: violations are BAD_USER_INPUT with field paths."""

import pytest

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIBE = "query($p: PersonInput!) { describePerson(person: $p) { name } }"


def field_errors(body):
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]
    return {tuple(e["path"]): e["type"] for e in body["errors"][0]["extensions"]["fieldErrors"]}


async def test_gt_constraint_on_a_plain_argument(gql):
    body = await gql.execute("{ positive(value: 0) }")
    assert field_errors(body) == {("value",): "greater_than"}
    assert "value" in body["errors"][0]["message"]


async def test_every_violation_of_a_nested_input_is_reported_with_its_path(gql):
    person = {
        "name": "admin",  # custom validator
        "age": 0,  # gt=0
        "addresses": [
            {"street": "Main", "zipCode": "12345"},
            {"street": "x" * 51, "zipCode": "ABC"},  # max_length, pattern
        ],
    }
    body = await gql.execute(DESCRIBE, {"p": person})
    assert field_errors(body) == {
        ("person", "name"): "value_error",
        ("person", "age"): "greater_than",
        ("person", "addresses", 1, "street"): "string_too_long",
        ("person", "addresses", 1, "zipCode"): "string_pattern_mismatch",
    }


async def test_custom_validator_message_reaches_the_client(gql):
    body = await gql.execute(DESCRIBE, {"p": {"name": "Admin", "age": 5}})
    errors = body["errors"][0]["extensions"]["fieldErrors"]
    assert errors == [
        {
            "path": ["person", "name"],
            "message": "Value error, the name 'admin' is reserved",
            "type": "value_error",
        }
    ]


async def test_violations_never_echo_the_input_value(gql):
    body = await gql.execute(
        DESCRIBE,
        {"p": {"name": "Ok", "age": 7, "addresses": [{"street": "s", "zipCode": "sekrit"}]}},
    )
    assert field_errors(body) == {("person", "addresses", 0, "zipCode"): "string_pattern_mismatch"}
    assert "sekrit" not in str(body)


async def test_graphql_type_errors_are_bad_user_input_too(gql):
    body = await gql.execute(DESCRIBE, {"p": {"name": "Ok", "age": "seven"}})
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "age" in body["errors"][0]["message"]
