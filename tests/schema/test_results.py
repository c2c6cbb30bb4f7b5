"""A function returning a value its annotation does not allow is a server bug:
logged, masked, INTERNAL_SERVER_ERROR — never blamed on the client's input."""

import logging

import pytest
from pydantic import BaseModel

from mizan_gql import client
from mizan_gql.registry import use_registry
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)


class Point(BaseModel):
    x: int


def wrong_scalar(request) -> int:
    return "sekrit-value"  # type: ignore[return-value]


def wrong_model(request) -> Point:
    return {"x": "sekrit-value"}  # type: ignore[return-value]


def coerced(request) -> list[Point]:
    return [{"x": 1}, Point(x=2)]  # type: ignore[list-item]


@pytest.mark.parametrize("field", ["wrongScalar", "wrongModel { x }"])
async def test_wrong_result_is_an_internal_error(gql, caplog, field):
    caplog.set_level(logging.ERROR, logger="mizan_gql")
    with use_registry():
        client(wrong_scalar)
        client(wrong_model)
        response = await gql.post(f"{{ {field} }}")
    body = response.json()
    assert body["data"] is None
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert body["errors"][0]["message"] == "Internal server error"
    assert b"sekrit-value" not in response.content
    assert [r for r in caplog.records if r.name == "mizan_gql"]


async def test_dicts_are_coerced_into_declared_models(gql):
    with use_registry():
        client(coerced)
        body = await gql.execute("{ coerced { x } }")
    assert body == {"data": {"coerced": [{"x": 1}, {"x": 2}]}}


async def test_user_strawberry_field_with_a_wrong_result_is_internal(gql):
    from django.test import override_settings

    with override_settings(MIZAN={"QUERY": "tests.schema.user_schema.BrokenQuery"}):
        response = await gql.post("{ brokenCount }")
    body = response.json()
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert b"sekrit-value" not in response.content


async def test_user_graphql_argument_errors_stay_bad_user_input(gql):
    body = await gql.execute("query($v: Int) { positive(value: $v) }", {"v": None})
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]  # Int into Int!: refused early
