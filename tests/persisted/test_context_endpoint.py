"""GET /graphql/ctx/<context>/: typed parameters, cache headers, ETag, the fast path."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User

from mizan_gql.contexts import ainvalidate
from tests.persisted_app import mizan_clients

from .conftest import body_of, codes

pytestmark = pytest.mark.django_db(transaction=True)

TAGS = "ctx:pq_user ctx:pq_user:user_id=5"


@pytest.fixture
async def users():
    create = sync_to_async(User.objects.create_user, thread_sensitive=True)
    return {"alice": await create("alice", password="x"), "bob": await create("bob", password="x")}


async def test_public_context_response(gql):
    response = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body_of(response) == {
        "data": {
            "pqProfile": {"userId": 5, "name": "user5", "version": 1},
            "pqStats": {"userId": 5, "posts": 10},
        }
    }
    assert response["Cache-Control"] == "public, s-maxage=300"  # the shorter ttl of the two
    assert response["Surrogate-Key"] == TAGS
    assert response["xkey"] == TAGS
    assert response["Cache-Tag"] == TAGS.replace(" ", ",")
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert "Cookie" not in response.get("Vary", "")


async def test_fast_path_serves_stored_bytes_without_graphql(gql, calls, graphql_work):
    first = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert calls["pq_profile"] == 1
    work_after_first = dict(graphql_work)
    assert work_after_first["execute"] == 1

    second = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == first["Cache-Control"]
    assert second["Surrogate-Key"] == TAGS
    assert calls["pq_profile"] == 1 and calls["pq_stats"] == 1
    assert dict(graphql_work) == work_after_first  # no parse, validate or execute


async def test_invalidation_makes_the_next_get_fresh(gql, calls):
    first = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert body_of(first)["data"]["pqProfile"]["name"] == "user5"
    mizan_clients.NAMES[5] = "Eve"
    # Still the stored answer: nothing was invalidated.
    assert body_of(await gql.get("/graphql/ctx/pq_user/?user_id=5")) == body_of(first)

    await ainvalidate("pq_user", user_id=5)
    fresh = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert body_of(fresh)["data"]["pqProfile"]["name"] == "Eve"
    assert fresh["ETag"] != first["ETag"]
    assert calls["pq_profile"] == 2
    # ... and the fresh answer is the one served from now on.
    again = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    assert again.content == fresh.content and calls["pq_profile"] == 2


async def test_whole_context_invalidation_also_refreshes(gql, calls):
    await gql.get("/graphql/ctx/pq_user/?user_id=7")
    mizan_clients.NAMES[7] = "Zed"
    await ainvalidate("pq_user")
    body = body_of(await gql.get("/graphql/ctx/pq_user/?user_id=7"))
    assert body["data"]["pqProfile"]["name"] == "Zed"


async def test_etag_answers_304(gql):
    first = await gql.get("/graphql/ctx/pq_user/?user_id=5")
    etag = first["ETag"]
    response = await gql.get("/graphql/ctx/pq_user/?user_id=5", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, s-maxage=300"
    other = await gql.get("/graphql/ctx/pq_user/?user_id=5", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200 and other.content == first.content
    listed = await gql.get(
        "/graphql/ctx/pq_user/?user_id=5", headers={"If-None-Match": f'"x", {etag}'}
    )
    assert listed.status_code == 304


async def test_canonical_parameters_share_one_entry(gql, calls):
    a = await gql.get("/graphql/ctx/pq_search/?term=hi&limit=5&color=blue")
    b = await gql.get("/graphql/ctx/pq_search/?color=blue&limit=05&term=hi")
    assert a.status_code == b.status_code == 200
    assert a.content == b.content and a["ETag"] == b["ETag"]
    assert calls["pq_search"] == 1


async def test_parameters_are_typed(gql):
    query = "term=x&limit=3&day=2024-02-29&color=blue&tags=a&tags=b&filter=" + json.dumps(
        {"min_posts": 4}
    )
    response = await gql.get(f"/graphql/ctx/pq_search/?{query}")
    assert body_of(response) == {
        "data": {
            "pqSearch": {
                "term": "x",
                "limit": 3,
                "day": "2024-02-29",
                "color": "BLUE",
                "tags": ["a", "b"],
                "minPosts": 4,
            }
        }
    }
    defaults = body_of(await gql.get("/graphql/ctx/pq_search/?term=y"))["data"]["pqSearch"]
    assert defaults == {
        "term": "y",
        "limit": 10,
        "day": None,
        "color": "RED",
        "tags": [],
        "minPosts": None,
    }


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("", ["user_id"]),  # missing
        ("user_id=abc", ["user_id"]),  # ill-typed
        ("user_id=1.5", ["user_id"]),
        ("user_id=", ["user_id"]),
        ("user_id=1&user_id=2", ["user_id"]),  # repeated
        ("user_id=1&userId=1", ["userId"]),  # unknown (GraphQL spelling)
        ("user_id=1&debug=1", ["debug"]),  # unknown
        ("user_id=2147483648", ["user_id"]),  # a Python int, but not a GraphQL Int (32-bit)
        ("user_id=99999999999999999999999999", ["user_id"]),
    ],
)
async def test_bad_parameters_are_400_with_a_graphql_error_body(gql, calls, query, path):
    response = await gql.get(f"/graphql/ctx/pq_user/?{query}")
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    body = body_of(response)
    assert codes(response) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["fieldErrors"][0]["path"] == path
    assert calls["pq_profile"] == 0


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("term=x&limit=0", ["limit"]),  # Field(gt=0)
        ("term=x&limit=51", ["limit"]),  # Field(le=50)
        ("term=x&color=green", ["color"]),
        ("term=x&day=2024-02-30", ["day"]),
        ("term=x&filter=notjson", ["filter"]),
        ("term=x&filter=" + json.dumps({"min_posts": -1}), ["filter", "min_posts"]),
    ],
)
async def test_constraints_are_enforced(gql, calls, query, path):
    response = await gql.get(f"/graphql/ctx/pq_search/?{query}")
    assert response.status_code == 400, response.content
    assert codes(response) == ["BAD_USER_INPUT"]
    assert body_of(response)["errors"][0]["extensions"]["fieldErrors"][0]["path"] == path
    assert calls["pq_search"] == 0


async def test_more_parameters_than_django_allows_is_400_with_a_graphql_error_body(
    gql, calls, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = await gql.get("/graphql/ctx/pq_search/?term=x" + "&tags=t" * 10)
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in body_of(response)["errors"][0]["message"]
    assert calls["pq_search"] == 0


async def test_unknown_context_is_404(gql):
    response = await gql.get("/graphql/ctx/nothing_here/")
    assert response.status_code == 404
    assert codes(response) == ["NOT_FOUND"]
    # A function that is not a context is not a context endpoint either.
    assert (await gql.get("/graphql/ctx/echo/?text=x")).status_code == 404


async def test_only_get(gql):
    response = await gql.raw("post", "/graphql/ctx/pq_user/?user_id=5", "{}", "application/json")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.fixture(params=["wsgi", "asgi"])
def csrf_gql(request):
    """A client with Django's CSRF checks enforced, as for a real browser."""
    from django.test import AsyncClient, Client

    from tests.conftest import GraphQLClient

    if request.param == "asgi":
        return GraphQLClient(AsyncClient(enforce_csrf_checks=True), is_async=True)
    return GraphQLClient(Client(enforce_csrf_checks=True), is_async=False)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("signed_in", [False, True])
async def test_unsafe_methods_get_the_json_405_without_a_csrf_token(
    csrf_gql, users, calls, method, signed_in
):
    """The endpoint changes nothing, so CSRF has nothing to protect: an unsafe method gets
    the JSON 405 naming the methods to use, not Django's HTML "CSRF verification failed"."""
    if signed_in:
        await csrf_gql.force_login(users["alice"])
    response = await csrf_gql.raw(method, "/graphql/ctx/pq_user/?user_id=5", "{}", "text/plain")
    assert response.status_code == 405, response.content[:200]
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert calls["pq_profile"] == 0


async def test_private_context_is_per_user_and_never_public(gql, users, calls):
    anonymous = await gql.get("/graphql/ctx/pq_me/")
    assert body_of(anonymous) == {"data": {"pqMe": {"username": "", "authenticated": False}}}
    assert anonymous["Cache-Control"] == "private, max-age=0"
    assert "Cookie" in anonymous["Vary"]
    assert "Surrogate-Key" not in anonymous and "public" not in anonymous["Cache-Control"]

    await gql.force_login(users["alice"])
    alice = await gql.get("/graphql/ctx/pq_me/")
    assert body_of(alice)["data"]["pqMe"]["username"] == "alice"
    assert alice["Cache-Control"] == "private, max-age=0"
    count = calls["pq_me"]
    again = await gql.get("/graphql/ctx/pq_me/")  # alice's stored bytes
    assert again.content == alice.content and calls["pq_me"] == count
    assert (
        await gql.get("/graphql/ctx/pq_me/", headers={"If-None-Match": alice["ETag"]})
    ).status_code == 304

    await gql.force_login(users["bob"])
    bob = await gql.get("/graphql/ctx/pq_me/")
    assert body_of(bob)["data"]["pqMe"]["username"] == "bob"  # never alice's bytes


async def test_auth_errors_are_never_cached(gql, users, calls):
    response = await gql.get("/graphql/ctx/pq_secret/")
    assert codes(response) == ["UNAUTHENTICATED"]
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    await gql.force_login(users["alice"])
    response = await gql.get("/graphql/ctx/pq_secret/")
    assert body_of(response) == {"data": {"pqSecret": "secret of alice"}}
    assert response["Cache-Control"] == "private, max-age=0"


async def test_error_responses_are_never_cacheable(gql, calls):
    for expected_calls in (1, 2):
        response = await gql.get("/graphql/ctx/pq_broken/")
        assert response.status_code == 200
        assert codes(response) == ["NOT_FOUND"]
        assert response["Cache-Control"] == "no-store"
        assert "ETag" not in response and "Surrogate-Key" not in response
        assert calls["pq_broken"] == expected_calls


async def test_none_context_is_never_stored(gql, calls):
    first = body_of(await gql.get("/graphql/ctx/pq_live/"))
    response = await gql.get("/graphql/ctx/pq_live/")
    assert response["Cache-Control"] == "no-store"
    assert body_of(response) != first
    assert calls["pq_live"] == 2


async def test_public_responses_never_set_cookies(gql, users):
    await gql.force_login(users["alice"])
    for _ in range(2):  # the miss and the hit
        response = await gql.get("/graphql/ctx/pq_cookie_monster/")
        assert body_of(response) == {"data": {"pqCookieMonster": "crumbs"}}
        assert response["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


async def test_public_functions_see_an_anonymous_request(gql, users):
    await gql.force_login(users["alice"])
    response = await gql.get("/graphql/ctx/pq_public_viewer/")
    assert body_of(response) == {"data": {"pqPublicViewer": "nobody"}}
    assert "Cookie" not in response.get("Vary", "")
    assert response["Cache-Control"] == "public, s-maxage=300"
