"""Apollo's automatic persisted queries over POST and GET, through the HTTP stack."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from mizan_gql.persisted import document_hash
from mizan_gql.schema.builder import reset_schema

from .conftest import apq_get, apq_post, body_of, codes, persisted, unique_echo

pytestmark = pytest.mark.django_db(transaction=True)

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_apollo_link_flow_not_found_then_register_then_get(gql):
    query = unique_echo()
    sha256 = document_hash(query)
    variables = {"text": "hi"}

    # 1. The link first sends only the hash (GET with useGETForHashedQueries).
    response = await apq_get(gql, sha256, variables)
    assert response.status_code == 200
    body = body_of(response)
    assert body["errors"][0]["message"] == "PersistedQueryNotFound"
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert "no-store" in response["Cache-Control"]  # a CDN must not keep the miss

    # 2. It retries by POST with the full query and the hash: registered and answered.
    response = await apq_post(
        gql, {"query": query, "variables": variables, "extensions": persisted(sha256)}
    )
    assert body_of(response) == {"data": {"echo": {"message": "hi"}}}

    # 3. From now on the hash alone works, by GET and by POST.
    response = await apq_get(gql, sha256, {"text": "again"})
    assert body_of(response) == {"data": {"echo": {"message": "again"}}}
    response = await apq_post(gql, {"variables": {"text": "post"}, "extensions": persisted(sha256)})
    assert body_of(response) == {"data": {"echo": {"message": "post"}}}


async def test_registered_document_lives_in_the_django_cache(gql):
    query = unique_echo()
    sha256 = document_hash(query)
    await apq_post(
        gql, {"query": query, "variables": {"text": "a"}, "extensions": persisted(sha256)}
    )
    # Another process (a new schema and an empty document cache) still knows the hash.
    reset_schema()
    response = await apq_get(gql, sha256, {"text": "b"})
    assert body_of(response) == {"data": {"echo": {"message": "b"}}}


async def test_not_found_with_graphql_response_json_is_a_400_the_link_understands(gql):
    sha256 = document_hash(unique_echo())
    response = await apq_get(gql, sha256, {"text": "x"}, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert "data" not in body_of(response)


async def test_hash_mismatch_is_refused_and_nothing_is_stored(gql, calls):
    query = unique_echo()
    wrong = document_hash(query + " ")
    response = await apq_post(
        gql, {"query": query, "variables": {"text": "x"}, "extensions": persisted(wrong)}
    )
    assert response.status_code == 400
    assert codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert "data" not in body_of(response) or body_of(response)["data"] is None
    for sha256 in (wrong, document_hash(query)):
        response = await apq_get(gql, sha256, {"text": "x"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_invalid_document_is_not_registered(gql):
    query = "# invalid\nquery { echo(text: 1) { nope } }"
    sha256 = document_hash(query)
    response = await apq_post(gql, {"query": query, "extensions": persisted(sha256)})
    assert codes(response) and "GRAPHQL_VALIDATION_FAILED" in codes(response)
    response = await apq_get(gql, sha256)
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 1, "sha256Hash": "xyz"}},
        {"persistedQuery": {"version": 1, "sha256Hash": "a" * 63}},
        {"persistedQuery": {"version": 1, "sha256Hash": "g" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": 12}},
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": {"version": 2, "sha256Hash": "a" * 64}},
        {"persistedQuery": {"version": True, "sha256Hash": "a" * 64}},
        {"persistedQuery": {"sha256Hash": "a" * 64}},
        {"persistedQuery": "a" * 64},
    ],
)
async def test_malformed_persisted_query_is_refused(gql, extension):
    for response in (
        await apq_post(gql, {"extensions": extension}),
        await gql.get("/graphql?extensions=" + json.dumps(extension)),
    ):
        assert response.status_code == 400, response.content
        assert codes(response) == ["BAD_REQUEST"]
        assert "persistedQuery" in body_of(response)["errors"][0]["message"]


async def test_mutation_by_persisted_hash_over_get_is_405(gql, calls):
    from mizan_gql import get_schema
    from mizan_gql.persisted import operations_for

    bump = operations_for(get_schema()).fields["pqBump"]
    response = await apq_get(gql, bump.sha256, {"userId": 3})
    assert response.status_code == 405
    assert calls["pq_bump"] == 0
    response = await apq_post(
        gql, {"variables": {"userId": 3}, "extensions": persisted(bump.sha256)}
    )
    assert body_of(response) == {"data": {"pqBump": 3}}


async def test_generated_documents_are_known_without_registration(gql):
    from mizan_gql import get_schema
    from mizan_gql.persisted import operations_for

    operation = operations_for(get_schema()).fields["echo"]
    response = await apq_get(gql, operation.sha256, {"text": "gen"})
    assert body_of(response) == {"data": {"echo": {"message": "gen"}}}


@override_settings(MIZAN={"GRAPHIQL": True})
async def test_hash_only_get_from_a_browser_like_client_is_an_operation(gql):
    # Apollo's link may send Accept: */*; a GET with extensions is never a GraphiQL visit.
    from mizan_gql import get_schema
    from mizan_gql.persisted import operations_for

    echo = operations_for(get_schema()).fields["echo"]
    response = await apq_get(gql, echo.sha256, {"text": "b"}, headers={"Accept": "*/*"})
    assert body_of(response) == {"data": {"echo": {"message": "b"}}}
