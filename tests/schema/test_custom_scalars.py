"""A custom scalar that refuses the client's value with a plain exception (``ValueError``,
as Python's own parsers do) refuses bad input: ``BAD_USER_INPUT`` for a variable,
``GRAPHQL_VALIDATION_FAILED`` for a literal in the document. Never a logged
``INTERNAL_SERVER_ERROR``; a scalar failing to serialize a result still is one."""

import logging
import warnings
from decimal import Decimal
from typing import NewType

import pytest
import strawberry
from django.test import override_settings

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)


def _parse_money(value: object) -> Decimal:
    if not isinstance(value, str) or not value.endswith(" EUR"):
        raise ValueError("Money is written like '12.50 EUR'")
    return Decimal(value.removesuffix(" EUR"))


def _serialize_money(value: Decimal) -> str:
    if value < 0:
        raise ValueError("negative money")  # a server bug: the function returned it
    return f"{value} EUR"


with warnings.catch_warnings():
    # Strawberry 0.33x deprecates scalars made from a type in favour of StrawberryConfig's
    # scalar_map, which a project cannot set on mizan_gql's schema: this is how it writes one.
    warnings.simplefilter("ignore", DeprecationWarning)
    Money = strawberry.scalar(
        NewType("Money", Decimal), serialize=_serialize_money, parse_value=_parse_money
    )


@strawberry.type
class MoneyQuery:
    """A project's own Strawberry field (MIZAN["QUERY"]) using its own scalar."""

    @strawberry.field
    def double(self, amount: Money) -> Money:  # type: ignore[valid-type]
        return amount * 2  # type: ignore[no-any-return]


@pytest.fixture
def money():
    with override_settings(MIZAN={"QUERY": "tests.schema.test_custom_scalars.MoneyQuery"}):
        yield


async def test_a_valid_value_is_parsed_and_served(gql, money):
    body = await gql.execute("query($a: Money!) { double(amount: $a) }", {"a": "1.25 EUR"})
    assert body == {"data": {"double": "2.50 EUR"}}


async def test_a_refused_variable_is_bad_user_input(gql, money, caplog):
    caplog.set_level(logging.ERROR, logger="mizan_gql")
    body = await gql.execute("query($a: Money!) { double(amount: $a) }", {"a": "12 dollars"})
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "Money is written like '12.50 EUR'" in body["errors"][0]["message"]
    assert not [r for r in caplog.records if r.name == "mizan_gql"]  # not a server error


async def test_a_refused_literal_is_a_validation_error(gql, money, caplog):
    caplog.set_level(logging.ERROR, logger="mizan_gql")
    body = await gql.execute('{ double(amount: "12 dollars") }')
    assert "data" not in body
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert not [r for r in caplog.records if r.name == "mizan_gql"]


async def test_a_result_it_cannot_serialize_is_still_a_server_error(gql, money, caplog):
    caplog.set_level(logging.ERROR, logger="mizan_gql")
    body = await gql.execute("query($a: Money!) { double(amount: $a) }", {"a": "-1 EUR"})
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert [r for r in caplog.records if r.name == "mizan_gql"]
