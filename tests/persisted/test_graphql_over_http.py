"""GraphQL-over-HTTP details of issue 4: Accept negotiation and GET never mutating."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from .conftest import body_of, codes

pytestmark = pytest.mark.django_db(transaction=True)

ECHO = '{ echo(text: "x") { message } }'


@pytest.mark.parametrize("accept", ["text/plain", "application/xml", "application/json;q=0"])
async def test_unacceptable_accept_is_406(gql, accept):
    response = await gql.post(ECHO, headers={"Accept": accept})
    assert response.status_code == 406
    assert codes(response) == ["NOT_ACCEPTABLE"]


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/html, */*;q=0.8", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json"),
    ],
)
async def test_acceptable_accept_headers(gql, accept, content_type):
    headers = {"Accept": accept} if accept else {}
    response = await gql.post(ECHO, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert body_of(response) == {"data": {"echo": {"message": "x"}}}


async def test_graphql_response_json_request_errors_are_400_without_data(gql):
    response = await gql.post("{ nope }", headers={"Accept": "application/graphql-response+json"})
    assert response.status_code == 400
    assert "data" not in body_of(response)


async def test_mutation_chosen_by_operation_name_over_get_is_405(gql, calls):
    document = 'query A { echo(text: "x") { message } } mutation B { pqBump(userId: 1) }'
    ok = await gql.get("/graphql?" + urlencode({"query": document, "operationName": "A"}))
    assert body_of(ok) == {"data": {"echo": {"message": "x"}}}
    refused = await gql.get("/graphql?" + urlencode({"query": document, "operationName": "B"}))
    assert refused.status_code == 405
    assert calls["pq_bump"] == 0
    posted = await gql.raw(
        "post",
        "/graphql",
        json.dumps({"query": document, "operationName": "B"}),
        "application/json",
    )
    assert body_of(posted) == {"data": {"pqBump": 1}}
