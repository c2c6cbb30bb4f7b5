"""graphene-django and mizan_gql in one project, one endpoint each (docs/migrating.md).

A team moves from graphene-django to mizan_gql one endpoint at a time: both schemas are
installed together (graphene-django 3 needs graphql-core 3.2, which mizan_gql supports)
and served by one Django process, over the same models. The tests talk real HTTP to a
live server: pytest-django's, serving tests/graphene_app/urls.py.

Without graphene-django installed the tests skip; .ci/run's "graphene" environment
installs it and sets MIZAN_REQUIRE_GRAPHENE=1, which makes that skip a failure.
"""

from __future__ import annotations

import json
import os
import urllib.request
from typing import Any

import pytest

if os.environ.get("MIZAN_REQUIRE_GRAPHENE") == "1":
    import graphene_django  # noqa: F401  # the graphene environment: missing is a failure
else:
    pytest.importorskip("graphene_django", reason="graphene-django is not installed")

import graphql  # noqa: E402

pytestmark = [pytest.mark.urls("tests.graphene_app.urls"), pytest.mark.django_db(transaction=True)]

TIMEOUT = 30.0  # seconds per request, on a loaded machine


def post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        url, body, {"Content-Type": "application/json", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:  # GraphQL refusals may come with a 4xx status
        with error:
            return json.loads(error.read())


def test_graphene_django_runs_on_graphql_core_3_2_next_to_mizan() -> None:
    assert graphql.version_info < (3, 3)  # what graphene-django 3 allows


def test_both_schemas_answer_over_http_on_the_same_data(live_server) -> None:
    mizan, graphene = f"{live_server.url}/graphql", f"{live_server.url}/graphene/"

    added = post(mizan, 'mutation { addAuthor(name: "Ann") { id name } }')
    assert "errors" not in added, added
    author_id = added["data"]["addAuthor"]["id"]

    # graphene-django's schema sees what a mizan_gql mutation wrote, and the other way round.
    assert post(graphene, "{ allAuthors { id name } }") == {
        "data": {"allAuthors": [{"id": str(author_id), "name": "Ann"}]}
    }
    renamed = post(
        graphene,
        'mutation($id: ID!) { renameAuthor(id: $id, name: "Anna") { author { name } } }',
        {"id": str(author_id)},
    )
    assert renamed == {"data": {"renameAuthor": {"author": {"name": "Anna"}}}}
    assert post(mizan, "{ authors { id name } }") == {
        "data": {"authors": [{"id": author_id, "name": "Anna"}]}
    }


def test_each_endpoint_serves_its_own_schema(live_server) -> None:
    mizan, graphene = f"{live_server.url}/graphql", f"{live_server.url}/graphene/"
    refused = post(mizan, "{ allAuthors { id } }")
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    fields = post(graphene, "{ __schema { queryType { fields { name } } } }")["data"]
    assert [f["name"] for f in fields["__schema"]["queryType"]["fields"]] == ["allAuthors"]
    wrong = post(graphene, "{ authors { id } }")
    assert "Cannot query field 'authors' on type 'Query'." in wrong["errors"][0]["message"]


def test_mizans_limits_hold_on_graphql_core_3_2(live_server) -> None:
    """The deep-nesting guard, over HTTP, next to graphene-django."""
    mizan = f"{live_server.url}/graphql"
    deep = "{ echo(text: " + "[" * 1500 + "]" * 1500 + ") { message } }"
    body = post(mizan, deep)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_PARSE_FAILED"]
    assert "nested too deeply" in body["errors"][0]["message"]
    assert post(mizan, '{ echo(text: "hi") { message } }') == {"data": {"echo": {"message": "hi"}}}
