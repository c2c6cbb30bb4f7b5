"""MIZAN["TRUSTED_DOCUMENTS"], documentId requests and the forms of a trusted document.

Real clients run against these in tests/persisted/test_trusted_clients.py; here each rule
is pinned over the WSGI and ASGI stacks.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.test import override_settings

from mizan_gql import get_schema
from mizan_gql.persisted import document_hash, operations_for
from mizan_gql.persisted.checks import check_trusted_documents
from mizan_gql.persisted.typename import apollo_form

from .conftest import apq_get, apq_post, body_of, codes, persisted

pytestmark = pytest.mark.django_db(transaction=True)

# A document a team wrote: not generated (an alias, two fields).
TEAM = (
    'query TeamTree($depth: Int) { deep: pqTree(depth: $depth) { label } echo(text: "t") '
    "{ message } }"
)
TEAM_APOLLO = (
    "query TeamTree($depth: Int) {\n  deep: pqTree(depth: $depth) {\n    label\n"
    '    __typename\n  }\n  echo(text: "t") {\n    message\n    __typename\n  }\n}'
)
TEAM_DATA = {"deep": {"label": "level0"}, "echo": {"message": "t"}}
MD5 = hashlib.md5(TEAM.encode()).hexdigest()  # noqa: S324  (Relay's default id)


def generated(field: str):
    return operations_for(get_schema()).fields[field]


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def apollo_manifest(tmp_path: Path, body: str = TEAM_APOLLO) -> str:
    operation = {"id": document_hash(body), "name": "TeamTree", "type": "query", "body": body}
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [operation],
    }
    return write(tmp_path, "apollo.json", manifest)


def trusted(*manifests: str, mode: str = "trusted"):
    return override_settings(
        MIZAN={"PERSISTED_QUERIES": mode, "TRUSTED_DOCUMENTS": list(manifests)}
    )


async def post_json(gql, body: dict, **extra):
    return await apq_post(gql, body, **extra)


async def document_get(gql, document_id: str, variables: dict | None = None, **extra):
    params = {"documentId": document_id}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await gql.get(f"/graphql?{urlencode(params)}", **extra)


async def test_an_apollo_manifest_is_trusted_by_text_hash_and_id(gql, tmp_path):
    with trusted(apollo_manifest(tmp_path)):
        # Apollo Client with its defaults sends the manifest's body.
        assert await gql.execute(TEAM_APOLLO, {"depth": 1}) == {
            "data": {
                "deep": {"label": "level0", "__typename": "PqNode"},
                "echo": {"message": "t", "__typename": "Output"},
            }
        }
        # The text without __typename is the same document.
        assert await gql.execute(TEAM, {"depth": 1}) == {"data": TEAM_DATA}
        response = await apq_get(gql, document_hash(TEAM_APOLLO), {"depth": 1})
        assert body_of(response)["data"]["deep"]["label"] == "level0"
        response = await document_get(gql, f"sha256:{document_hash(TEAM_APOLLO)}", {"depth": 1})
        assert body_of(response)["data"]["echo"] == {"message": "t", "__typename": "Output"}


async def test_relay_and_codegen_manifests_are_trusted_by_their_own_ids(gql, tmp_path):
    sha1 = hashlib.sha1(TEAM.encode()).hexdigest()  # noqa: S324  (the client preset's)
    relay = write(tmp_path, "relay.json", {MD5: TEAM})
    codegen = write(tmp_path, "codegen.json", {sha1: TEAM})
    with trusted(relay, codegen):
        for document_id in (MD5, sha1, document_hash(TEAM), f"sha256:{document_hash(TEAM)}"):
            response = await document_get(gql, document_id, {"depth": 1})
            assert body_of(response) == {"data": TEAM_DATA}, document_id
            response = await post_json(gql, {"documentId": document_id, "variables": {"depth": 1}})
            assert body_of(response) == {"data": TEAM_DATA}, document_id
        # The client preset's ids also arrive as APQ hashes (its urql example).
        response = await apq_get(gql, sha1, {"depth": 1})
        assert body_of(response) == {"data": TEAM_DATA}
        assert await gql.execute(TEAM, {"depth": 1}) == {"data": TEAM_DATA}


async def test_relays_doc_id_names_a_document_as_documentid_does(gql, tmp_path):
    """Relay's network layer (its persisted-queries guide) sends ``doc_id``."""
    relay = write(tmp_path, "relay.json", {MD5: TEAM})
    mizan = {"PERSISTED_QUERIES": "trusted", "TRUSTED_DOCUMENTS": [relay], "GRAPHIQL": True}
    with override_settings(DEBUG=True, MIZAN=mizan):
        response = await post_json(gql, {"doc_id": MD5, "variables": {"depth": 1}})
        assert body_of(response) == {"data": TEAM_DATA}
        query = urlencode({"doc_id": MD5, "variables": json.dumps({"depth": 1})})
        response = await gql.get(f"/graphql?{query}", HTTP_ACCEPT="text/html,*/*")
        assert body_of(response) == {"data": TEAM_DATA}  # an operation, not GraphiQL
        response = await post_json(gql, {"doc_id": "0" * 32, "variables": {"depth": 1}})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
        response = await post_json(gql, {"doc_id": 5})
        assert (response.status_code, codes(response)) == (400, ["BAD_REQUEST"])


async def test_mizan_export_of_another_server_is_trusted(gql, tmp_path):
    exported = {
        "version": 1,
        "operations": {"teamTree": {"document": TEAM, "name": "TeamTree", "sha256": "x"}},
        "contexts": {},
    }
    with trusted(write(tmp_path, "mizan.json", exported)):
        assert await gql.execute(TEAM, {"depth": 1}) == {"data": TEAM_DATA}


async def test_without_the_manifest_the_team_document_is_refused(gql, tmp_path):
    with trusted():
        response = await gql.post(TEAM, {"depth": 1})
        assert codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]
        response = await document_get(gql, MD5)
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert "data" not in body_of(response)


async def test_generated_documents_are_trusted_in_apollo_form_and_written_differently(gql):
    echo = generated("echo")
    apollo = echo.document.replace("    message\n", "    message\n    __typename\n")
    # urql's layout: comments dropped, lines joined, its own __typename.
    urql = (
        "# asked by urql\nquery Echo($text: String!) { echo(text: $text) { __typename message } }"
    )
    with trusted():
        for text in (apollo, urql):
            body = await gql.execute(text, {"text": "x"})
            assert body["data"]["echo"] == {"message": "x", "__typename": "Output"}
        # Apollo's persisted-query link sends the hash of its form alone: known at once.
        response = await apq_get(gql, document_hash(apollo), {"text": "h"})
        assert body_of(response)["data"] == {"echo": {"message": "h", "__typename": "Output"}}
        # Another document (an alias) is still refused, by text and after its hash.
        other = echo.document.replace("  echo(", "  said: echo(")
        assert codes(await gql.post(other, {"text": "x"})) == ["PERSISTED_QUERY_NOT_IN_LIST"]
        response = await apq_get(gql, document_hash(other), {"text": "x"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
        response = await apq_post(
            gql,
            {
                "query": other,
                "variables": {"text": "x"},
                "extensions": persisted(document_hash(other)),
            },
        )
        assert codes(response) == ["PERSISTED_QUERY_NOT_IN_LIST"]


@pytest.mark.parametrize("mode", ["apq", "trusted"])
async def test_document_id_of_generated_documents_over_get_and_post(gql, mode):
    echo = generated("echo")
    with trusted(mode=mode):
        for document_id in (f"sha256:{echo.sha256}", echo.sha256):
            response = await document_get(gql, document_id, {"text": "g"})
            assert body_of(response) == {"data": {"echo": {"message": "g"}}}
        upper = f"sha256:{echo.sha256.upper()}"
        response = await post_json(gql, {"documentId": upper, "variables": {"text": "p"}})
        assert body_of(response) == {"data": {"echo": {"message": "p"}}}
        # GraphQL-over-HTTP's own media type takes Strawberry's path: the same answers.
        response = await document_get(
            gql, echo.sha256, {"text": "s"}, HTTP_ACCEPT="application/graphql-response+json"
        )
        assert response.status_code == 200
        assert body_of(response) == {"data": {"echo": {"message": "s"}}}


async def test_document_id_of_a_registered_apq_document_in_apq_mode(gql):
    query = 'query Registered { said: echo(text: "r") { message } }'
    sha256 = document_hash(query)
    await apq_post(gql, {"query": query, "extensions": persisted(sha256)})
    response = await document_get(gql, f"sha256:{sha256}")
    assert body_of(response) == {"data": {"said": {"message": "r"}}}
    with trusted():
        assert codes(await document_get(gql, f"sha256:{sha256}")) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"documentId": 5}, 400, "BAD_REQUEST"),
        ({"documentId": ""}, 400, "BAD_REQUEST"),
        ({"documentId": "sha256:xyz"}, 400, "BAD_REQUEST"),
        ({"documentId": "x" * 201}, 400, "BAD_REQUEST"),
        ({"documentId": "sha256:" + "0" * 64}, 200, "PERSISTED_QUERY_NOT_FOUND"),
        ({"documentId": "md5:abc"}, 200, "PERSISTED_QUERY_NOT_FOUND"),
        ({"documentId": "sha256:" + "0" * 64, "query": "{ __typename }"}, 400, "BAD_REQUEST"),
        (
            {"documentId": "sha256:" + "0" * 64, "extensions": persisted("0" * 64)},
            400,
            "BAD_REQUEST",
        ),
    ],
)
async def test_bad_and_unknown_document_ids_answer_with_a_code(gql, body, status, code):
    response = await post_json(gql, body)
    assert response.status_code == status, response.content
    assert codes(response) == [code]
    assert response["Cache-Control"] == "no-store"
    assert "data" not in body_of(response)


async def test_document_id_in_off_mode_is_not_supported(gql):
    echo = generated("echo")
    with trusted(mode="off"):
        response = await document_get(gql, f"sha256:{echo.sha256}", {"text": "x"})
        assert codes(response) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


async def test_a_mutation_by_document_id_over_get_is_405(gql, calls):
    bump = generated("pqBump")
    response = await document_get(gql, f"sha256:{bump.sha256}", {"userId": 1})
    assert response.status_code == 405
    assert calls["pq_bump"] == 0
    response = await post_json(gql, {"documentId": bump.sha256, "variables": {"userId": 1}})
    assert body_of(response) == {"data": {"pqBump": 1}}


@override_settings(DEBUG=True, MIZAN={"GRAPHIQL": True})
async def test_a_browser_get_with_a_document_id_runs_it_instead_of_graphiql(gql):
    echo = generated("echo")
    response = await document_get(gql, echo.sha256, {"text": "b"}, HTTP_ACCEPT="text/html,*/*")
    assert body_of(response) == {"data": {"echo": {"message": "b"}}}


def test_check_reports_unreadable_and_unknown_manifests(tmp_path):
    missing = tmp_path / "missing.json"
    not_json = tmp_path / "broken.json"
    not_json.write_text("{", encoding="utf-8")
    odd = write(tmp_path, "odd.json", {"operations": [1]})
    with trusted(str(missing), str(not_json), odd, 5):
        found = check_trusted_documents()
    assert [m.id for m in found] == ["mizan_gql.E084"] * 4
    assert found[0].msg == "MIZAN['TRUSTED_DOCUMENTS'][3] is 5, not a path."
    assert f"{missing} cannot be read" in found[1].msg
    assert f"{not_json} is not JSON" in found[2].msg
    assert f"{odd} is in none of the known formats" in found[3].msg


def test_check_names_a_document_that_no_longer_validates(tmp_path):
    stale = "query Stale { pqTree { label removedField } }"
    manifest = apollo_manifest(tmp_path, body=stale)
    relay = write(tmp_path, "relay.json", {MD5: TEAM, "abc": "query Broken {"})
    with trusted(manifest, relay):
        found = check_trusted_documents()
    assert [m.id for m in found] == ["mizan_gql.E085", "mizan_gql.E085"]
    assert found[0].msg.startswith(
        f"MIZAN['TRUSTED_DOCUMENTS']: the document 'TeamTree' (id {document_hash(stale)}) of "
        f"{manifest} does not validate against the schema: Cannot query field 'removedField'"
    )
    assert "the document (id abc)" in found[1].msg and "Syntax Error" in found[1].msg
    with trusted(relay.replace("relay", "none")):
        assert [m.id for m in check_trusted_documents()] == ["mizan_gql.E084"]
    with trusted():
        assert check_trusted_documents() == []


@pytest.mark.parametrize("fmt", ["mizan", "apollo", "relay", "codegen"])
async def test_every_export_format_is_read_back_as_trusted_documents(gql, tmp_path, fmt):
    out = StringIO()
    call_command("export_persisted_queries", "--format", fmt, stdout=out)
    path = write(tmp_path, f"{fmt}.json", json.loads(out.getvalue()))
    data = json.loads(out.getvalue())
    echo = generated("echo")
    if fmt == "apollo":
        [entry] = [op for op in data["operations"] if op["name"] == "Echo"]
        assert data["format"] == "apollo-persisted-query-manifest" and data["version"] == 1
        assert entry["type"] == "query" and "__typename" in entry["body"]
        assert entry["id"] == document_hash(entry["body"])
    elif fmt in ("relay", "codegen"):
        assert data[echo.sha256] == echo.document
    # Loaded by a server (here: this one), every exported id runs.
    ids = (
        [op["id"] for op in data["operations"]]
        if fmt == "apollo"
        else list(data)
        if fmt != "mizan"
        else [op["sha256"] for op in data["operations"].values()]
    )
    with trusted(path):
        assert check_trusted_documents() == []
        echo_id = next(i for i in ids if i in (echo.sha256, document_hash(_apollo(echo))))
        response = await document_get(gql, echo_id, {"text": fmt})
        assert body_of(response)["data"]["echo"]["message"] == fmt


def _apollo(operation) -> str:
    return apollo_form(operation.document) or ""


def test_export_format_is_checked():
    with pytest.raises(Exception, match="invalid choice: 'yaml'"):
        call_command("export_persisted_queries", "--format", "yaml", stdout=StringIO())
