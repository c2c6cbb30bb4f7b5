"""``<name>Validate`` and ``<name>Submit``: every field type round-trips; clean methods run."""

from __future__ import annotations

import pytest

from tests.conftest import codes_of

from .conftest import field_errors, submit, submit_raw, validate

pytestmark = pytest.mark.django_db(transaction=True)


def everything(choices, **changes):
    data = {
        "text": "  hello  ",
        "bio": "",
        "email": "ada@example.com",
        "website": "example.com/about",
        "slug": "a-slug_1",
        "code": "ABC12",
        "count": 3,
        "ratio": 0.25,
        "price": "12.50",
        "agree": True,
        "newsletter": False,
        "day": "2024-02-29",
        "moment": "2024-02-29T13:45:00+00:00",
        "clock": "07:30:00",
        "size": "m",
        "colours": ["red", "blue"],
        "category": str(choices["sport"].pk),
        "tags": [str(choices["red"].pk), str(choices["blue"].pk)],
    }
    data.update(changes)
    return data


TYPED = """result { text bio email website slug code count ratio price agree newsletter day
  moment clock size colours category tags }"""


async def test_spec_example_contact_submit(gql, sent):
    result = await submit(gql, "contact", {"name": "Ada", "email": "ada@example.com"})
    assert result == {
        "valid": True,
        "fieldErrors": [],
        "nonFieldErrors": [],
        "result": {"sent": True},
    }
    assert sent == [{"form": "contact", "name": "Ada", "email": "ada@example.com"}]


async def test_every_field_type_round_trips(gql, choices, sent):
    data = everything(choices)
    assert await validate(gql, "everything", data) == {
        "valid": True,
        "fieldErrors": [],
        "nonFieldErrors": [],
    }
    assert sent == []  # validation never submits
    result = await submit(gql, "everything", data, TYPED)
    assert result["valid"] is True
    assert result["result"] == {
        "text": "hello",  # Django's CharField strips
        "bio": "",
        "email": "ada@example.com",
        "website": "https://example.com/about",  # Django's URLField adds the scheme
        "slug": "a-slug_1",
        "code": "ABC12",
        "count": 3,
        "ratio": 0.25,
        "price": "12.50",
        "agree": True,
        "newsletter": False,
        "day": "2024-02-29",
        "moment": "2024-02-29T13:45:00+00:00",
        "clock": "07:30:00",
        "size": "m",
        "colours": ["red", "blue"],
        "category": "sport",
        "tags": ["blue", "red"],
    }
    assert sent == [{"form": "everything"}]


async def test_every_field_type_reports_its_errors(gql, choices, sent):
    data = everything(
        choices,
        text="x",
        email="not-an-email",
        website="http://",
        slug="no spaces",
        code="abc12",
        count=11,
        ratio=1.5,
        price="1234.567",
        agree=False,
        day="2023-02-29",
        moment="yesterday",
        clock="25:00",
        size="xl",
        colours=["green"],
        category="999999",
        tags=["999999"],
    )
    expected = {
        "text": ["min_length"],
        "email": ["invalid"],
        "website": ["invalid"],
        "slug": ["invalid"],
        "code": ["invalid"],
        "count": ["max_value"],
        "ratio": ["max_value"],
        "price": ["max_digits"],
        "agree": ["required"],
        "day": ["BAD_USER_INPUT"],
    }
    # Date, DateTime and Time are GraphQL scalars: an impossible value is refused by GraphQL
    # itself, with the offending field named in fieldErrors.
    body = await submit_raw(gql, "everything", data, "result { text }")
    assert codes_of(body) == ["BAD_USER_INPUT"]
    paths = {tuple(e["path"]) for e in body["errors"][0]["extensions"]["fieldErrors"]}
    assert paths == {("data", "day"), ("data", "moment"), ("data", "clock")}

    data.update(day="2024-02-29", moment="2024-02-29T13:45:00+00:00", clock="07:30:00")
    del expected["day"]
    expected.update(
        size=["invalid_choice"],
        colours=["invalid_choice"],
        category=["invalid_choice"],
        tags=["invalid_choice"],
    )
    payload = await validate(gql, "everything", data)
    assert payload["valid"] is False
    assert field_errors(payload) == expected
    result = await submit(gql, "everything", data, "result { text }")
    assert (result["valid"], result["result"]) == (False, None)
    assert field_errors(result) == expected
    assert sent == []


async def test_messages_are_djangos(gql):
    payload = await validate(gql, "contact", {"email": "nope"})
    assert payload["fieldErrors"] == [
        {"field": "name", "messages": ["This field is required."], "codes": ["required"]},
        {"field": "email", "messages": ["Enter a valid email address."], "codes": ["invalid"]},
    ]


async def test_partial_data_validates_field_by_field(gql):
    # Every input field is optional in GraphQL, so a half-filled form can be validated.
    payload = await validate(gql, "contact", {"name": "Ada"})
    assert field_errors(payload) == {"email": ["required"]}


async def test_clean_field_and_clean(gql, sent):
    payload = await validate(
        gql, "signUp", {"username": "Admin", "password": "longenough", "passwordAgain": "other"}
    )
    assert payload == {
        "valid": False,
        "fieldErrors": [
            {
                "field": "username",
                "messages": ["The name Admin is reserved."],
                "codes": ["reserved"],
            }
        ],
        "nonFieldErrors": [{"message": "The passwords differ.", "code": "mismatch"}],
    }
    result = await submit(
        gql, "signUp", {"username": "ada", "password": "longenough", "passwordAgain": "other"}
    )
    assert result["valid"] is False
    assert result["nonFieldErrors"] == [{"message": "The passwords differ.", "code": "mismatch"}]
    assert result["fieldErrors"] == []
    assert sent == []
    result = await submit(
        gql, "signUp", {"username": "ada", "password": "longenough", "passwordAgain": "longenough"}
    )
    assert (result["valid"], result["result"]) == (True, {"welcome": "ada"})
    assert sent == [{"form": "sign_up", "username": "ada"}]


async def test_async_on_submit_success_and_its_validation_error(gql):
    result = await submit(gql, "ping", {"message": "hi"})
    assert (result["valid"], result["result"]) == (True, {"pong": "hi"})
    result = await submit(gql, "ping", {"message": "fail"})
    assert result == {
        "valid": False,
        "fieldErrors": [{"field": "message", "messages": ["Ping failed."], "codes": ["invalid"]}],
        "nonFieldErrors": [],
        "result": None,
    }


async def test_validate_is_a_query_and_submit_a_mutation(gql):
    body = await gql.execute("mutation { contactValidate(data: {}) { valid } }")
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]
    response = await gql.get(
        "/graphql?query=" + 'mutation{contactSubmit(data:{name:"a",email:"a@b.co"}){valid}}'
    )
    assert response.status_code == 405
