"""DEBUG=False (the test settings): no introspection, no GraphiQL, masked errors, and no
"Did you mean ...?" in any error (suggestions map the schema for an attacker)."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

HTML = {"headers": {"Accept": "text/html"}}
INTROSPECTION = "{ __schema { types { name } } }"
TYPE_PROBE = '{ __type(name: "Query") { fields { name } } }'
# Each one is one letter away from something that exists.
NEAR_MISSES = [
    ("{ whoam }", None),
    ('{ echo(txt: "a") { message } }', None),
    ('{ echo(text: "a") { mesage } }', None),
    ("query($c: Colr) { whoami }", None),
    ("query($t: String!) { echo(text: $t) { message } }", {"text": "a"}),
    ("{ ...F } fragment F on Qury { whoami }", None),
]


async def test_introspection_is_refused(gql):
    for query in (INTROSPECTION, TYPE_PROBE):
        body = await gql.execute(query)
        assert "data" not in body  # a request error: nothing was executed
        assert set(codes_of(body)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "introspection" in body["errors"][0]["message"].lower()


async def test_graphiql_is_not_served(gql):
    response = await gql.get("/graphql", **HTML)
    assert not response["Content-Type"].startswith("text/html")
    assert b"graphiql" not in response.content.lower()


async def test_unexpected_errors_are_masked_without_traceback(gql):
    body = await gql.execute('{ fail(code: "boom") }')
    assert body["errors"][0]["message"] == "Internal server error"
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    text = json.dumps(body)
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text


@pytest.mark.parametrize(("query", "variables"), NEAR_MISSES)
async def test_no_suggestions_in_errors(gql, query, variables):
    response = await gql.post(query, variables)
    assert response.status_code in (200, 400)
    assert response.json()["errors"]
    assert "did you mean" not in response.content.decode().lower()


async def test_no_suggestions_for_enum_values_or_input_fields(gql):
    query = "query($p: PersonInput!) { describePerson(person: $p) { name } }"
    response = await gql.post(query, {"p": {"nam": "x"}})
    assert response.json()["errors"]
    assert "did you mean" not in response.content.decode().lower()


@override_settings(DEBUG=True)
async def test_debug_turns_them_back_on(gql):
    """The positive control: the same requests in development."""
    body = await gql.execute(INTROSPECTION)
    assert body["data"]["__schema"]["types"]
    assert "Did you mean" in json.dumps(await gql.execute("{ whoam }"))
    response = await gql.get("/graphql", **HTML)
    assert response["Content-Type"].startswith("text/html")
    body = await gql.execute('{ fail(code: "boom") }')
    assert "hunter2" in body["errors"][0]["message"]


@override_settings(MIZAN={"INTROSPECTION": True, "GRAPHIQL": True, "MASK_ERRORS": False})
async def test_each_default_can_be_overridden(gql):
    assert (await gql.execute(TYPE_PROBE))["data"]["__type"]["fields"]
    assert (await gql.get("/graphql", **HTML))["Content-Type"].startswith("text/html")
    body = await gql.execute('{ fail(code: "boom") }')
    assert "hunter2" in body["errors"][0]["message"]
