"""Every parameter and return type of SPEC §2 round-trips through HTTP (WSGI and ASGI)."""

import pytest

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

SCALARS_QUERY = """
query(
  $text: String!, $number: Int!, $ratio: Float!, $flag: Boolean!, $amount: Decimal!,
  $day: Date!, $moment: DateTime!, $clock: Time!, $ident: UUID!, $color: Color!,
  $mode: String!, $tags: [String!]!, $note: String, $data: JSON
) {
  scalars(
    text: $text, number: $number, ratio: $ratio, flag: $flag, amount: $amount, day: $day,
    moment: $moment, clock: $clock, ident: $ident, color: $color, mode: $mode, tags: $tags,
    note: $note, data: $data
  ) { text number ratio flag amount day moment clock ident color mode tags note data }
}
"""

VALUES = {
    "text": "héllo",
    "number": -42,
    "ratio": 2.5,
    "flag": True,
    "amount": "12.30",
    "day": "2024-02-29",
    "moment": "2024-02-29T13:45:00+00:00",
    "clock": "13:45:30",
    "ident": "12345678-1234-5678-1234-567812345678",
    "color": "GREEN",
    "mode": "fast",
    "tags": ["a", "b"],
    "note": "a note",
    "data": {"nested": [1, {"x": None}], "ok": True},
}


async def test_every_scalar_round_trips(gql):
    body = await gql.execute(SCALARS_QUERY, VALUES)
    assert body == {"data": {"scalars": VALUES}}


async def test_optional_parameters_take_their_defaults(gql):
    variables = {k: v for k, v in VALUES.items() if k not in ("note", "data")}
    body = await gql.execute(SCALARS_QUERY, variables)
    assert body["data"]["scalars"]["note"] is None
    assert body["data"]["scalars"]["data"] == {}


async def test_defaults_apply_and_can_be_overridden(gql):
    body = await gql.execute("{ defaults }")
    assert body == {"data": {"defaults": "green/slow/3/None/None"}}
    body = await gql.execute(
        '{ defaults(color: RED, mode: "fast", count: 7, ratio: 0.5, tags: ["x"]) }'
    )
    assert body == {"data": {"defaults": "red/fast/7/0.5/['x']"}}


async def test_nested_pydantic_input_and_output(gql):
    person = {
        "name": "Ada",
        "age": 36,
        "addresses": [{"street": "Main", "zipCode": "12345"}],
    }
    body = await gql.execute(
        'query($p: PersonInput!) { describePerson(person: $p, greeting: "Hi") '
        "{ name age nickname addresses { street zipCode } } }",
        {"p": person},
    )
    assert body == {
        "data": {
            "describePerson": {
                "name": "Hi, Ada",
                "age": 36,
                "nickname": None,
                "addresses": [{"street": "Main", "zipCode": "12345"}],
            }
        }
    }


async def test_input_model_defaults_apply_when_fields_are_omitted(gql):
    body = await gql.execute(
        '{ describePerson(person: {name: "Bo", age: 3}) { name addresses { street } nickname } }'
    )
    assert body == {
        "data": {"describePerson": {"name": "Hello, Bo", "addresses": [], "nickname": None}}
    }


async def test_returned_dict_is_coerced_into_the_declared_model(gql):
    body = await gql.execute('{ personDict(name: "Cy") { name age addresses { zipCode } } }')
    assert body == {
        "data": {"personDict": {"name": "Cy", "age": 30, "addresses": [{"zipCode": "12345"}]}}
    }


async def test_dict_is_a_json_scalar_both_ways(gql):
    data = {"a": [1, 2.5, "x", None, {"b": False}]}
    body = await gql.execute("query($d: JSON!) { echoJson(data: $d) }", {"d": data})
    assert body == {"data": {"echoJson": {"received": data}}}


async def test_optional_output_may_be_null(gql):
    body = await gql.execute(
        "{ yes: maybe(present: true) { message } no: maybe(present: false) { message } }"
    )
    assert body == {"data": {"yes": {"message": "here"}, "no": None}}


async def test_none_return_is_void(gql):
    assert await gql.execute("{ nothing }") == {"data": {"nothing": None}}


async def test_lists_and_annotated_constraints(gql):
    assert await gql.execute("{ positive(value: 3) }") == {"data": {"positive": [0, 1, 2]}}
    assert await gql.execute("{ positive(value: 30, limit: 2) }") == {"data": {"positive": [0, 1]}}


async def test_enum_output_and_literal_input(gql):
    body = await gql.execute('{ pickMode(mode: "slow", level: 3) }')
    assert body == {"data": {"pickMode": "SLOW"}}


@pytest.mark.parametrize(
    "query",
    ['{ pickMode(mode: "medium") }', '{ pickMode(mode: "fast", level: 4) }'],
)
async def test_literal_values_outside_the_set_are_rejected(gql, query):
    body = await gql.execute(query)
    assert body["data"] is None
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["fieldErrors"][0]["type"] == "literal_error"


async def test_enum_outside_the_set_is_rejected(gql):
    body = await gql.execute("{ defaults(color: BLUE) }")
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_sync_and_async_functions(gql):
    body = await gql.execute('{ echo(text: "a") { message } asyncEcho(text: "b") }')
    assert body == {"data": {"echo": {"message": "a"}, "asyncEcho": "B"}}
