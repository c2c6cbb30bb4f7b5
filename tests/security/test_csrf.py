"""Cross-site request forgery: a request a browser may send cross-site without a CORS
preflight ("simple": form-encoded, multipart, text/plain or no content type) never runs
a mutation without a preflight-forcing header; cookie-authenticated mutations also need
Django's CSRF token; GET never mutates, however the mutation is chosen."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from asgiref.sync import sync_to_async
from django.middleware.csrf import _get_new_csrf_string
from django.test import AsyncClient, Client
from django.test.client import MULTIPART_CONTENT

from mizan_gql.persisted import operations_for
from mizan_gql.schema.builder import get_schema
from tests.conftest import GraphQLClient, codes_of
from tests.testapp.models import Author

pytestmark = pytest.mark.django_db(transaction=True)

MUTATION = 'mutation { addAuthor(name: "forged") { name } }'
BOTH = 'query Read { whoami } mutation Write { addAuthor(name: "forged") { name } }'


async def authors() -> int:
    return await sync_to_async(Author.objects.count)()


@pytest.fixture(params=["wsgi", "asgi"])
def browser(request) -> GraphQLClient:
    """A client with Django's CSRF checks enforced, as for a real browser."""
    if request.param == "asgi":
        return GraphQLClient(AsyncClient(enforce_csrf_checks=True), is_async=True)
    return GraphQLClient(Client(enforce_csrf_checks=True), is_async=False)


SIMPLE_BODIES = {
    "form-encoded": (urlencode({"query": MUTATION}), "application/x-www-form-urlencoded"),
    "text/plain": (json.dumps({"query": MUTATION}), "text/plain"),
    "text/plain;charset": (json.dumps({"query": MUTATION}), "text/plain; charset=utf-8"),
    "none": (json.dumps({"query": MUTATION}), ""),
    "multipart": (
        {"operations": json.dumps({"query": MUTATION}), "map": "{}"},
        MULTIPART_CONTENT,  # the test client encodes a dict only for this very object
    ),
}


@pytest.mark.parametrize("uploads", [False, True], ids=["uploads-off", "uploads-on"])
@pytest.mark.parametrize("kind", list(SIMPLE_BODIES))
async def test_simple_requests_never_mutate(browser, settings, kind, uploads):
    settings.MIZAN = {"UPLOADS": uploads}
    body, content_type = SIMPLE_BODIES[kind]
    response = await browser.raw("post", "/graphql", body, content_type)
    assert response.status_code in (403, 415), response.content
    assert response["Cache-Control"] == "no-store"
    assert await authors() == 0


@pytest.mark.parametrize("header", ["Apollo-Require-Preflight", "X-Apollo-Operation-Name"])
async def test_multipart_mutation_runs_with_a_preflight_header(browser, settings, header):
    settings.MIZAN = {"UPLOADS": True}
    body, content_type = SIMPLE_BODIES["multipart"]
    response = await browser.raw(
        "post", "/graphql", body, content_type, headers={header: "addAuthor"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"data": {"addAuthor": {"name": "forged"}}}
    assert await authors() == 1


async def test_multipart_preflight_header_must_not_be_empty(browser, settings):
    settings.MIZAN = {"UPLOADS": True}
    body, content_type = SIMPLE_BODIES["multipart"]
    headers = {"Apollo-Require-Preflight": " ", "X-Apollo-Operation-Name": ""}
    response = await browser.raw("post", "/graphql", body, content_type, headers=headers)
    assert response.status_code == 403
    assert codes_of(response.json()) == ["CSRF_FAILED"]
    assert await authors() == 0


async def test_json_is_not_simple_so_cookieless_mutations_run(browser):
    response = await browser.post(MUTATION)
    assert response.status_code == 200
    assert await authors() == 1


async def test_cookie_authenticated_mutation_needs_djangos_token(browser, users, settings):
    await browser.force_login(users["alice"])
    response = await browser.post(MUTATION)
    assert response.status_code == 403
    assert codes_of(response.json()) == ["CSRF_FAILED"]
    # The preflight header does not replace the token: a same-site page could send it.
    settings.MIZAN = {"UPLOADS": True}
    body, content_type = SIMPLE_BODIES["multipart"]
    response = await browser.raw(
        "post", "/graphql", body, content_type, headers={"Apollo-Require-Preflight": "1"}
    )
    assert response.status_code == 403
    assert await authors() == 0
    token = _get_new_csrf_string()
    browser.client.cookies["csrftoken"] = token
    response = await browser.post(MUTATION, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert await authors() == 1


@pytest.mark.parametrize(
    "params",
    [
        {"query": MUTATION},
        {"query": BOTH, "operationName": "Write"},
        {"query": 'mutation { setNote(text: "x") { message } }'},
    ],
    ids=["mutation", "chosen-by-operationName", "auth-mutation"],
)
async def test_get_never_mutates(browser, params):
    response = await browser.get("/graphql?" + urlencode(params))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Cache-Control"] == "no-store"
    assert await authors() == 0


async def test_get_never_mutates_by_persisted_hash(browser):
    operation = operations_for(get_schema()).fields["addAuthor"]
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": operation.sha256}}
    query = urlencode(
        {"extensions": json.dumps(extensions), "variables": json.dumps({"name": "forged"})}
    )
    response = await browser.get("/graphql?" + query)
    assert response.status_code == 405, response.content
    assert await authors() == 0
    # An APQ-registered mutation (registered by running it once over POST) neither.
    document = 'mutation Once { addAuthor(name: "apq") { name } }'
    from mizan_gql.persisted import document_hash

    registered = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}}
    body = json.dumps({"query": document, "extensions": registered})
    assert (await browser.raw("post", "/graphql", body, "application/json")).status_code == 200
    assert await authors() == 1
    response = await browser.get("/graphql?" + urlencode({"extensions": json.dumps(registered)}))
    assert response.status_code == 405
    assert await authors() == 1


async def test_context_endpoint_answers_only_get(browser):
    response = await browser.raw("post", "/graphql/ctx/ctx_user/?user_id=5", "", "text/plain")
    assert response.status_code in (403, 405)
