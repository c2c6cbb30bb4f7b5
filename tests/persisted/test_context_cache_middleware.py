"""ContextCacheMiddleware: public context hits answered before the rest of the stack."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.core import checks

from mizan_gql.checks import check_middleware
from mizan_gql.contexts import ainvalidate
from tests.persisted_app import mizan_clients

from .conftest import body_of, codes

pytestmark = pytest.mark.django_db(transaction=True)

SECURITY = "django.middleware.security.SecurityMiddleware"
OURS = "mizan_gql.http.ContextCacheMiddleware"
USER = "/graphql/ctx/pq_user/"
# What a CDN acts on: a hit answered by the middleware carries what the view's answer does.
CONTEXT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Surrogate-Key", "xkey", "Cache-Tag")


async def test_a_public_hit_skips_the_rest_of_the_stack(gql, passed, calls, graphql_work):
    first = await gql.get(f"{USER}?user_id=5")
    assert first.status_code == 200 and passed[USER] == 1  # the miss went down to the view
    work = dict(graphql_work)

    second = await gql.get(f"{USER}?user_id=5")
    assert passed[USER] == 1  # answered before the counting middleware
    assert second.status_code == 200
    assert second.content == first.content
    assert {h: second[h] for h in CONTEXT_HEADERS} == {h: first[h] for h in CONTEXT_HEADERS}
    assert second["Content-Length"] == str(len(second.content))
    assert second["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware ran around it
    assert "Set-Cookie" not in second and "Cookie" not in second.get("Vary", "")
    assert dict(graphql_work) == work and calls["pq_profile"] == 1


async def test_equal_query_strings_share_the_stored_answer(gql, passed, calls):
    await gql.get("/graphql/ctx/pq_search/?term=hi&limit=5&color=blue")
    other = await gql.get("/graphql/ctx/pq_search/?color=blue&limit=05&term=hi")
    assert other.status_code == 200
    assert passed["/graphql/ctx/pq_search/"] == 1 and calls["pq_search"] == 1


async def test_etag_answers_304_before_the_stack(gql, passed):
    first = await gql.get(f"{USER}?user_id=5")
    response = await gql.get(f"{USER}?user_id=5", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Cache-Control"] == "public, s-maxage=300"
    other = await gql.get(f"{USER}?user_id=5", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200 and other.content == first.content
    assert passed[USER] == 1


async def test_invalidation_sends_the_next_request_to_the_view(gql, passed, calls):
    first = await gql.get(f"{USER}?user_id=5")
    mizan_clients.NAMES[5] = "Eve"
    await ainvalidate("pq_user", user_id=5)

    fresh = await gql.get(f"{USER}?user_id=5")
    assert passed[USER] == 2 and calls["pq_profile"] == 2
    assert body_of(fresh)["data"]["pqProfile"]["name"] == "Eve"
    assert fresh["ETag"] != first["ETag"]
    again = await gql.get(f"{USER}?user_id=5")  # the fresh answer, from the middleware
    assert again.content == fresh.content and passed[USER] == 2


async def test_private_and_uncached_contexts_go_down_the_stack(gql, passed, calls):
    user = await sync_to_async(User.objects.create_user, thread_sensitive=True)("alice")
    await gql.force_login(user)
    for _ in range(2):
        private = await gql.get("/graphql/ctx/pq_me/")
        assert body_of(private)["data"]["pqMe"]["username"] == "alice"
        assert private["Cache-Control"] == "private, max-age=0"
        live = await gql.get("/graphql/ctx/pq_live/")
        assert live["Cache-Control"] == "no-store"
    assert passed["/graphql/ctx/pq_me/"] == 2 and calls["pq_me"] == 1  # the view's own hit
    assert passed["/graphql/ctx/pq_live/"] == 2 and calls["pq_live"] == 2


async def test_refusals_are_the_views(gql, passed):
    await gql.get(f"{USER}?user_id=5")
    bad = await gql.get(f"{USER}?user_id=five")
    assert bad.status_code == 400 and codes(bad) == ["BAD_USER_INPUT"]
    unknown = await gql.get(f"{USER}?user_id=5&colour=red")
    assert unknown.status_code == 400
    post = await gql.raw("post", f"{USER}?user_id=5", "{}", "application/json")
    assert post.status_code == 405
    missing = await gql.get("/graphql/ctx/nothing_here/")
    assert missing.status_code == 404
    assert passed[USER] == 4 and passed["/graphql/ctx/nothing_here/"] == 1


async def test_a_host_outside_allowed_hosts_is_refused(gql, passed):
    await gql.get(f"{USER}?user_id=5")
    response = await gql.get(f"{USER}?user_id=5", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"user5" not in response.content
    assert passed[USER] == 1


async def test_prepend_www_is_left_to_common_middleware(gql, passed, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.common.CommonMiddleware"]
    await gql.get(f"{USER}?user_id=5")  # stored
    settings.PREPEND_WWW = True
    response = await gql.get(f"{USER}?user_id=5")
    assert response.status_code == 301
    assert response["Location"] == f"http://www.testserver{USER}?user_id=5"


async def test_other_requests_pass_untouched(gql, passed):
    body = await gql.execute("{ pqProfile(userId: 5) { name } }")
    assert body == {"data": {"pqProfile": {"name": "user5"}}}
    assert passed["/graphql"] == 1


def test_the_middleware_must_come_after_security_middleware(settings):
    settings.MIDDLEWARE = [OURS, SECURITY]
    assert check_middleware() == [
        checks.Warning(
            "ContextCacheMiddleware comes before SecurityMiddleware in MIDDLEWARE, so the "
            "context responses it answers get no HTTPS redirect and no security headers.",
            hint=f"Move {OURS!r} after {SECURITY!r}.",
            id="mizan_gql.W070",
        )
    ]
    settings.MIDDLEWARE = [SECURITY, OURS]
    assert check_middleware() == []
    settings.MIDDLEWARE = [OURS]  # no SecurityMiddleware at all: nothing is skipped
    assert check_middleware() == []


async def test_an_unreachable_cache_leaves_the_request_to_the_view(gql, passed, calls, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "down": {  # nothing listens on port 9 of loopback: refused at once
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    settings.MIZAN = {"CACHE": "down"}
    for expected in (1, 2):
        response = await gql.get(f"{USER}?user_id=5")
        assert response.status_code == 200
        assert body_of(response)["data"]["pqProfile"]["name"] == "user5"
        assert passed[USER] == expected and calls["pq_profile"] == expected


async def test_a_route_of_the_project_to_the_context_view(gql, passed, settings):
    settings.ROOT_URLCONF = "tests.persisted_app.urls"
    path = "/own/ctx/pq_user/"
    first = await gql.get(f"{path}?user_id=5")
    second = await gql.get(f"{path}?user_id=5")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert passed[path] == 1  # its hit answered by the middleware too
