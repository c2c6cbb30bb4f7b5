"""Django's CSRF protection stays on for mutations sent with the session cookie."""

import pytest
from asgiref.sync import sync_to_async
from django.middleware.csrf import _get_new_csrf_string

from tests.conftest import codes_of
from tests.testapp.models import Author

pytestmark = pytest.mark.django_db(transaction=True)

MUTATION = 'mutation { addAuthor(name: "csrf") { name } }'


async def author_count() -> int:
    return await sync_to_async(Author.objects.count)()


@pytest.fixture
async def signed_in(csrf_gql, users):
    await csrf_gql.force_login(users["user"])
    return csrf_gql


def with_token(client, **headers):
    token = _get_new_csrf_string()
    client.client.cookies["csrftoken"] = token
    return {"headers": {"X-CSRFToken": token, **headers}}


async def test_cookie_authenticated_mutation_without_token_is_refused(signed_in):
    response = await signed_in.post(MUTATION)
    assert response.status_code == 403
    body = response.json()
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["CSRF_FAILED"]
    message = body["errors"][0]["message"]
    assert "CSRF cookie not set" in message and "X-CSRFToken" in message
    assert await author_count() == 0


async def test_mutation_with_token_is_accepted(signed_in):
    response = await signed_in.post(MUTATION, **with_token(signed_in))
    assert response.status_code == 200
    assert response.json() == {"data": {"addAuthor": {"name": "csrf"}}}
    assert await author_count() == 1


async def test_wrong_token_is_refused(signed_in):
    signed_in.client.cookies["csrftoken"] = _get_new_csrf_string()
    response = await signed_in.post(MUTATION, headers={"X-CSRFToken": _get_new_csrf_string()})
    assert response.status_code == 403
    assert await author_count() == 0


async def test_cross_origin_mutation_is_refused_even_with_token(signed_in):
    response = await signed_in.post(
        MUTATION, **with_token(signed_in, Origin="https://evil.example")
    )
    assert response.status_code == 403
    assert "Origin checking failed" in response.json()["errors"][0]["message"]
    assert await author_count() == 0


async def test_queries_need_no_token(signed_in):
    response = await signed_in.post("{ whoami }")
    assert response.status_code == 200
    assert response.json() == {"data": {"whoami": "bob"}}


async def test_cookieless_mutation_needs_no_token(csrf_gql):
    # No session cookie: nothing for a forged cross-site request to ride on.
    response = await csrf_gql.post(MUTATION)
    assert response.status_code == 200
    assert await author_count() == 1
