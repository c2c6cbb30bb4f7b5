"""GraphQL-over-HTTP details: Accept negotiation, GET never mutating, the operation a
request names (GraphQL's GetOperation)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from mizan_gql.persisted import document_hash

from .conftest import body_of, codes, persisted

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


GRAPHQL_RESPONSE = "application/graphql-response+json"
QUERY_A = 'query A { echo(text: "x") { message } }'
SEVERAL = {
    "query, mutation": QUERY_A + " mutation B { pqBump(userId: 1) }",
    "mutation, query": "mutation B { pqBump(userId: 1) } " + QUERY_A,
    "two queries": QUERY_A + " query C { pqMe { username } }",
}


async def send(gql, method: str, params: dict[str, Any], accept: str):
    headers = {"Accept": accept}
    if method == "get":
        if "extensions" in params:
            params = {**params, "extensions": json.dumps(params["extensions"])}
        return await gql.get("/graphql?" + urlencode(params), headers=headers)
    body = json.dumps(params)
    return await gql.raw("post", "/graphql", body, "application/json", headers=headers)


def request_error(response, words: str) -> None:
    """A 400 refusal of the request as a whole: nothing ran, so no ``data``."""
    assert response.status_code == 400, response.content
    body = body_of(response)
    assert "data" not in body
    assert codes(response) == ["BAD_REQUEST"]
    assert words in body["errors"][0]["message"]


@pytest.mark.parametrize("document", SEVERAL)
@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_several_operations_without_an_operation_name_are_a_request_error(
    gql, calls, document, method, accept
):
    """GraphQL's GetOperation: "Must provide operation name if query contains multiple
    operations" - never "run the first one", which may be a mutation."""
    text = SEVERAL[document]
    # Named, the document runs (and, validated now, its query may run as a prepared query).
    named = await send(gql, method, {"query": text, "operationName": "A"}, accept)
    assert body_of(named) == {"data": {"echo": {"message": "x"}}}
    for _ in range(2):
        unnamed = await send(gql, method, {"query": text}, accept)
        request_error(unnamed, "Must provide operation name")
    assert calls["pq_bump"] == 0


@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_an_operation_name_that_names_no_operation_is_a_request_error(gql, method, accept):
    text = SEVERAL["two queries"]
    named = await send(gql, method, {"query": text, "operationName": "A"}, accept)
    assert body_of(named) == {"data": {"echo": {"message": "x"}}}
    for name in ("Nope", "Nope", "a"):
        missing = await send(gql, method, {"query": text, "operationName": name}, accept)
        request_error(missing, f'Unknown operation named "{name}"')


@pytest.mark.parametrize("method", ["post", "get"])
async def test_persisted_documents_of_several_operations_need_an_operation_name(gql, calls, method):
    text = SEVERAL["mutation, query"]
    extensions = persisted(document_hash(text))
    registered = await send(
        gql,
        "post",
        {"query": text, "operationName": "A", "extensions": extensions},
        "application/json",
    )
    assert body_of(registered) == {"data": {"echo": {"message": "x"}}}
    for _ in range(2):
        unnamed = await send(gql, method, {"extensions": extensions}, "application/json")
        request_error(unnamed, "Must provide operation name")
        unknown = await send(
            gql, method, {"extensions": extensions, "operationName": "Z"}, "application/json"
        )
        request_error(unknown, 'Unknown operation named "Z"')
    named = await send(gql, method, {"extensions": extensions, "operationName": "A"}, "*/*")
    assert body_of(named) == {"data": {"echo": {"message": "x"}}}
    assert calls["pq_bump"] == 0
