"""The /graphql endpoint: both URL spellings, GraphiQL and introspection per settings."""

import pytest
from django.test import override_settings

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

HTML = {"headers": {"Accept": "text/html"}}
INTROSPECTION = "{ __schema { queryType { name } } }"


@pytest.mark.parametrize("path", ["/graphql", "/graphql/"])
async def test_both_paths_answer(gql, path):
    response = await gql.raw("post", path, '{"query": "{ whoami }"}', "application/json")
    assert response.json() == {"data": {"whoami": ""}}


@override_settings(DEBUG=True)
async def test_graphiql_is_served_to_browsers_when_debug(gql):
    response = await gql.get("/graphql", **HTML)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"graphiql" in response.content.lower()


@override_settings(DEBUG=False)
async def test_no_graphiql_when_not_debug(gql):
    response = await gql.get("/graphql", **HTML)
    assert response.status_code == 404
    assert b"graphiql" not in response.content.lower()
    assert codes_of(response.json()) == ["NOT_FOUND"]


@override_settings(DEBUG=False, MIZAN={"GRAPHIQL": True})
async def test_graphiql_setting_turns_it_on(gql):
    response = await gql.get("/graphql", **HTML)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@override_settings(DEBUG=True, MIZAN={"GRAPHIQL": False})
async def test_graphiql_setting_turns_it_off(gql):
    assert (await gql.get("/graphql", **HTML)).status_code == 404


@override_settings(DEBUG=True)
async def test_json_get_is_never_graphiql(gql):
    response = await gql.get("/graphql?query={whoami}", headers={"Accept": "application/json"})
    assert response.json() == {"data": {"whoami": ""}}


@override_settings(DEBUG=False)
async def test_introspection_is_off_when_not_debug(gql):
    body = await gql.execute(INTROSPECTION)
    assert "data" not in body  # a request error: nothing was executed
    assert set(codes_of(body)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection" in body["errors"][0]["message"].lower()


@override_settings(DEBUG=True)
async def test_introspection_is_on_when_debug(gql):
    body = await gql.execute(INTROSPECTION)
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@override_settings(DEBUG=False, MIZAN={"INTROSPECTION": True})
async def test_introspection_setting_turns_it_on(gql):
    body = await gql.execute(INTROSPECTION)
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@override_settings(DEBUG=False)
async def test_typename_is_not_introspection(gql):
    assert await gql.execute("{ __typename }") == {"data": {"__typename": "Query"}}


async def test_a_broken_registry_answers_a_json_500_and_logs_it(gql, caplog):
    from mizan_gql import client
    from mizan_gql.registry import use_registry
    from tests.registry import broken

    with use_registry():
        client(broken.untyped_param)
        response = await gql.post("{ whoami }")
    assert response.status_code == 500
    assert codes_of(response.json()) == ["INTERNAL_SERVER_ERROR"]
    assert b"user_id" not in response.content  # details go to the log, not to clients
    assert "mizan_gql.E010" in caplog.text


@override_settings(MIZAN={"QUERY": "tests.nowhere.Query"})
async def test_an_unimportable_setting_answers_a_json_500(gql):
    response = await gql.post("{ whoami }")
    assert response.status_code == 500
    assert codes_of(response.json()) == ["INTERNAL_SERVER_ERROR"]
