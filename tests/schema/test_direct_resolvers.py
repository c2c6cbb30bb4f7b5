"""Fields of simple functions are resolved by graphql-core without Strawberry's wrapper
(mizan_gql.schema.fields.install_direct_resolvers); the others keep it. Both answer alike:
the whole suite runs through both kinds."""

from __future__ import annotations

import pytest

from mizan_gql import get_schema

pytestmark = pytest.mark.django_db(transaction=True)


def direct(field_name: str, root: str = "query") -> bool:
    graphql_schema = get_schema()._schema
    root_type = graphql_schema.query_type if root == "query" else graphql_schema.mutation_type
    return "_direct" in root_type.fields[field_name].resolve.__qualname__


def test_which_fields_resolve_directly():
    assert direct("echo")  # a str parameter, a pydantic result
    assert direct("asyncEcho")  # async, a str result
    assert direct("positive")  # Annotated[int, Field(gt=0)] and a default
    assert direct("pqProfile")  # snake_case parameter (userId -> user_id), a context field
    assert direct("pqBump", "mutation")  # mutations too
    assert not direct("secretUser")  # auth: Strawberry's permission classes
    assert not direct("describePerson")  # a pydantic input: Strawberry converts it
    assert not direct("pickMode")  # Literal: an enum Strawberry converts
    assert not direct("defaults")  # an Enum, a list
    assert not direct("books")  # strawberry-django types (querysets)


async def test_direct_fields_validate_and_name_arguments_like_strawberry(gql):
    body = await gql.execute(
        "query { positive(value: 2, limit: 3) pqProfile(userId: 7) { userId } }"
    )
    assert body["data"] == {"positive": [0, 1], "pqProfile": {"userId": 7}}
    refused = await gql.execute("query { positive(value: 0) }")
    (error,) = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fieldErrors"][0]["path"] == ["value"]
