"""Project Strawberry types and extensions merge into the one schema (MIZAN settings)."""

import pytest
from django.test import override_settings

from mizan_gql import get_schema
from mizan_gql.schema import SchemaBuildError

from . import user_schema

pytestmark = pytest.mark.django_db(transaction=True)

DOTTED = {
    "QUERY": "tests.schema.user_schema.Query",
    "MUTATION": "tests.schema.user_schema.Mutation",
    "SUBSCRIPTION": "tests.schema.user_schema.Subscription",
    "SCHEMA_EXTENSIONS": ["tests.schema.user_schema.Stamp"],
    "TYPES": ["tests.schema.user_schema.Extra"],
}
CLASSES = {
    "QUERY": user_schema.Query,
    "MUTATION": user_schema.Mutation,
    "SCHEMA_EXTENSIONS": [user_schema.Stamp],
}


@pytest.mark.parametrize("mizan", [DOTTED, CLASSES], ids=["dotted", "classes"])
async def test_user_query_and_mutation_live_next_to_mizan_functions(gql, mizan):
    with override_settings(MIZAN=mizan):
        body = await gql.execute('{ userHello(name: "x") echo(text: "y") { message } }')
        assert body == {
            "data": {"userHello": "hello x", "echo": {"message": "y"}},
            "extensions": {"stamp": "user-extension"},
        }
        body = await gql.execute('mutation { userPing addAuthor(name: "Z") { name } }')
        assert body["data"] == {"userPing": "pong", "addAuthor": {"name": "Z"}}
        body = await gql.execute("{ firstAuthor { name } }")
        assert body["data"] == {"firstAuthor": {"name": "Z"}}


def test_subscription_and_extra_types_are_in_the_schema():
    with override_settings(MIZAN=DOTTED):
        sdl = get_schema().as_str()
    assert "type Subscription {\n  userTicks: Int!" in sdl
    assert "type Extra {" in sdl


async def test_our_extensions_still_apply_with_user_ones(gql):
    with override_settings(MIZAN=CLASSES):
        body = await gql.execute('{ fail(code: "NOT_FOUND") }')
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


def test_a_user_field_clashing_with_a_function_is_a_build_error():
    with (
        override_settings(MIZAN={"QUERY": user_schema.ClashingQuery}),
        pytest.raises(SchemaBuildError) as raised,
    ):
        get_schema()
    (problem,) = raised.value.problems
    assert problem.id == "mizan_gql.E015"
    assert "'echo'" in problem.message and "ClashingQuery" in problem.message
