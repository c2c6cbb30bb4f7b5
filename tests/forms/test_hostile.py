"""Hostile data gets structured errors: never a 500, never on_submit_success."""

from __future__ import annotations

import json

import pytest

from tests.conftest import codes_of

from .conftest import field_errors, submit, submit_raw, validate

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = "mutation($data: ContactFormInput!) { contactSubmit(data: $data) { valid result } }"


def paths(body):
    return [tuple(e["path"]) for e in body["errors"][0]["extensions"]["fieldErrors"]]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": 5, "email": "a@b.co"}, [("data", "name")]),
        ({"name": ["a"], "email": {"x": 1}}, [("data", "name"), ("data", "email")]),
        ({"name": True, "email": "a@b.co"}, [("data", "name")]),
        ({"name": "a", "email": "a@b.co", "admin": True}, [("data",)]),
    ],
)
async def test_wrong_types_and_extra_keys(gql, sent, data, expected):
    body = await gql.execute(CONTACT, {"data": data})
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert paths(body) == expected
    assert sent == []


async def test_wrong_types_in_every_scalar(gql, sent, choices):
    data = {
        "count": "three",
        "ratio": "NaN",
        "price": "lots",
        "agree": "yes",
        "day": 20240229,
        "colours": "red",  # a single value is a one-item list in GraphQL
        "tags": [None],
    }
    body = await submit_raw(gql, "everything", data, "result { text }")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert sorted(paths(body)) == sorted(
        [
            ("data", "count"),
            ("data", "ratio"),
            ("data", "price"),
            ("data", "agree"),
            ("data", "day"),
            ("data", "tags", 0),
        ]
    )
    assert sent == []


async def test_data_that_is_not_an_object(gql):
    for data in ("name=a", ["a"], None, 5):
        body = await gql.execute(CONTACT, {"data": data})
        assert codes_of(body) == ["BAD_USER_INPUT"], body


async def test_missing_required_fields(gql, sent):
    result = await submit(gql, "contact", {})
    assert field_errors(result) == {"name": ["required"], "email": ["required"]}
    result = await submit(gql, "contact", {"name": None, "email": "   "})
    assert field_errors(result) == {"name": ["required"], "email": ["required"]}
    assert sent == []


async def test_huge_strings(gql, sent):
    result = await submit(gql, "contact", {"name": "x" * 200_000, "email": "a@b.co"})
    assert result["fieldErrors"] == [
        {
            "field": "name",
            "messages": ["Ensure this value has at most 100 characters (it has 200000)."],
            "codes": ["max_length"],
        }
    ]
    result = await submit(gql, "contact", {"name": "a", "email": "a" * 100_000 + "@b.co"})
    assert field_errors(result) == {"email": ["invalid", "max_length"]}
    assert sent == []


async def test_null_characters(gql, sent):
    result = await submit(gql, "contact", {"name": "a\x00b", "email": "a@b.co"})
    assert field_errors(result) == {"name": ["null_characters_not_allowed"]}
    assert sent == []


async def test_invalid_choices_and_model_ids(gql, choices, sent):
    payload = await validate(
        gql,
        "everything",
        {
            "size": "<script>",
            "colours": ["red", "red", "purple"],
            "category": "99999999999999999999999999",
            "tags": ["abc", str(choices["red"].pk)],
        },
    )
    errors = field_errors(payload)
    assert errors["size"] == ["invalid_choice"]
    assert errors["colours"] == ["invalid_choice"]
    assert errors["category"] == ["invalid_choice"]
    assert errors["tags"] == ["invalid_pk_value"]
    assert sent == []


async def test_big_numbers(gql):
    body = await submit_raw(gql, "everything", {"count": 2**40}, "result { text }")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    payload = await validate(gql, "everything", {"price": "1e999999", "ratio": 1e308})
    assert field_errors(payload)["price"] == ["max_digits"]
    assert field_errors(payload)["ratio"] == ["max_value"]


async def test_inline_literals_are_checked_by_graphql(gql):
    body = await gql.execute('mutation { contactSubmit(data: {name: 5, nope: "x"}) { valid } }')
    assert "data" not in body  # a request error: nothing was executed
    assert set(codes_of(body)) == {"GRAPHQL_VALIDATION_FAILED"}


async def test_error_bodies_are_json_with_codes(gql):
    response = await gql.post(CONTACT, {"data": {"name": {"$gt": ""}}})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "Traceback" not in response.content.decode()
