"""A repeated or persisted document is parsed and validated only once."""

from __future__ import annotations

import pytest
from django.test import override_settings

from mizan_gql.persisted import document_hash

from .conftest import apq_get, apq_post, body_of, persisted, unique_echo

pytestmark = pytest.mark.django_db(transaction=True)


async def test_repeated_document_is_parsed_and_validated_once(gql, graphql_work):
    query = unique_echo()
    for text in ("a", "b", "c"):
        assert await gql.execute(query, {"text": text}) == {"data": {"echo": {"message": text}}}
    assert graphql_work["parse"] == 1
    assert graphql_work["validate"] == 1
    assert graphql_work["execute"] == 3


async def test_persisted_document_is_not_parsed_or_validated_again(gql, graphql_work):
    query = unique_echo()
    sha256 = document_hash(query)
    await apq_post(
        gql, {"query": query, "variables": {"text": "r"}, "extensions": persisted(sha256)}
    )
    for text in ("x", "y"):
        response = await apq_get(gql, sha256, {"text": text})
        assert body_of(response) == {"data": {"echo": {"message": text}}}
    assert (graphql_work["parse"], graphql_work["validate"]) == (1, 1)


async def test_invalid_document_keeps_failing_without_revalidation(gql, graphql_work):
    query = unique_echo().replace("message", "nope")
    for _ in range(2):
        response = await gql.post(query, {"text": "x"})
        assert body_of(response)["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert graphql_work["validate"] == 1


async def test_limits_still_apply_to_cached_documents(gql):
    deep = "# deep\nquery { pqTree(depth: 1) { " + "children { " * 20 + "label" + " }" * 22
    for _ in range(2):
        response = await gql.post(deep)
        assert "exceeds maximum operation depth" in response.content.decode()


@override_settings(MIZAN={"MAX_TOKENS": 15})
async def test_a_document_refused_by_a_limit_stays_refused(gql, graphql_work):
    query = unique_echo()  # about 20 tokens
    for _ in range(3):
        response = await gql.post(query, {"text": "x"})
        body = body_of(response)
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
        assert not body.get("data")
    assert graphql_work["execute"] == 0
