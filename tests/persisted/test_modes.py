"""MIZAN["PERSISTED_QUERIES"]: apq (default), trusted and off."""

from __future__ import annotations

import pytest
from django.test import override_settings

from mizan_gql import get_schema
from mizan_gql.persisted import document_hash, operations_for

from .conftest import apq_get, apq_post, body_of, codes, persisted, unique_echo

pytestmark = pytest.mark.django_db(transaction=True)

TRUSTED = override_settings(MIZAN={"PERSISTED_QUERIES": "trusted"})
OFF = override_settings(MIZAN={"PERSISTED_QUERIES": "off"})


def untrusted_echo() -> str:
    """A document nobody sent before, which no generated document equals (its alias)."""
    return unique_echo().replace("{ echo(", "{ said: echo(")


def generated(field: str):
    return operations_for(get_schema()).fields[field]


async def test_apq_mode_runs_any_document(gql):
    body = await gql.execute(unique_echo(), {"text": "free"})
    assert body == {"data": {"echo": {"message": "free"}}}


@TRUSTED
async def test_trusted_mode_refuses_an_arbitrary_document(gql, calls):
    response = await gql.post("query { pqTree(depth: 1) { label } }")
    assert codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]
    assert "data" not in body_of(response) or body_of(response)["data"] is None


@TRUSTED
async def test_trusted_mode_runs_generated_documents_by_text_and_by_hash(gql):
    echo = generated("echo")
    assert await gql.execute(echo.document, {"text": "t"}) == {"data": {"echo": {"message": "t"}}}
    response = await apq_get(gql, echo.sha256, {"text": "h"})
    assert body_of(response) == {"data": {"echo": {"message": "h"}}}


@TRUSTED
async def test_trusted_mode_refuses_apq_registration(gql):
    query = untrusted_echo()
    sha256 = document_hash(query)
    response = await apq_post(
        gql, {"query": query, "variables": {"text": "x"}, "extensions": persisted(sha256)}
    )
    assert codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]
    # The hash alone is not found (the text that would follow is refused as above).
    response = await apq_get(gql, sha256, {"text": "x"})
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_trusted_mode_does_not_run_documents_registered_before(gql):
    query = untrusted_echo()
    sha256 = document_hash(query)
    await apq_post(
        gql, {"query": query, "variables": {"text": "x"}, "extensions": persisted(sha256)}
    )
    assert body_of(await apq_get(gql, sha256, {"text": "y"}))["data"] == {"said": {"message": "y"}}
    with TRUSTED:
        response = await apq_get(gql, sha256, {"text": "x"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert body_of(response).get("data") is None


@OFF
async def test_off_mode_answers_persisted_query_not_supported(gql):
    echo = generated("echo")
    response = await apq_get(gql, echo.sha256, {"text": "x"})
    body = body_of(response)
    assert body["errors"][0]["message"] == "PersistedQueryNotSupported"
    assert codes(response) == ["PERSISTED_QUERY_NOT_SUPPORTED"]
    # Plain documents still run.
    assert await gql.execute(unique_echo(), {"text": "ok"}) == {"data": {"echo": {"message": "ok"}}}


@TRUSTED
async def test_context_endpoint_works_in_trusted_mode(gql):
    response = await gql.get("/graphql/ctx/pq_user/?user_id=1")
    assert response.status_code == 200
    assert body_of(response)["data"]["pqProfile"]["userId"] == 1
