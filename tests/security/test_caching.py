"""What shared caches may store: nothing private, nothing failed, no cookies, and no
request header reflected into a public response. Client-sent X-Mizan-Invalidate is
ignored."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from mizan_gql.edge import BasePurger, wait_for_purges

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = "query P($u: Int!) { ctxProfile(userId: $u) { userId displayName } }"
PRIVATE = "{ ctxMe { userName } }"
TAGS = ("Surrogate-Key", "Cache-Tag", "xkey")
CANARY = "canary-3f9a"
UNKEYED = {
    "X-Forwarded-Host": f"{CANARY}.example",
    "X-Forwarded-Scheme": CANARY,
    "X-Original-URL": f"/{CANARY}",
    "X-Rewrite-URL": f"/{CANARY}",
    "X-Apollo-Operation-Name": CANARY,
    "User-Agent": CANARY,
    "Accept-Language": CANARY,
    "Origin": f"https://{CANARY}.example",
    "Referer": f"https://{CANARY}.example/",
    "X-Mizan-Invalidate": f"ctx_user;user_id={CANARY}",
    "Authorization": f"Bearer {CANARY}",
    "Cookie": f"tracking={CANARY}",
}
RECORDED: list[object] = []


class RecordingPurger(BasePurger):
    def purge(self, resolution) -> None:
        RECORDED.append(resolution)


def graphql_get(query: str, variables: dict) -> str:
    return "/graphql?" + urlencode({"query": query, "variables": json.dumps(variables)})


async def test_credentialed_responses_are_private(gql, users):
    anonymous = await gql.post("{ whoami }")
    assert "public" not in anonymous.get("Cache-Control", "")
    with_auth = await gql.post("{ whoami }", headers={"Authorization": "Bearer x"})
    assert with_auth["Cache-Control"] == "private"
    await gql.force_login(users["alice"])
    for response in (
        await gql.post("{ whoami }"),
        await gql.get("/graphql?query={whoami}"),
        await gql.post(PRIVATE),
    ):
        assert response.status_code == 200
        assert response["Cache-Control"] == "private"
    ctx = await gql.get("/graphql/ctx/ctx_me/")
    assert ctx["Cache-Control"] == "private, max-age=0"
    assert "Cookie" in ctx["Vary"]


async def test_public_contexts_stay_public_for_signed_in_users(gql, users):
    await gql.force_login(users["alice"])
    response = await gql.get(graphql_get(PUBLIC, {"u": 5}))
    assert response["Cache-Control"] == "public, s-maxage=600"  # ctxProfile only
    assert "ctx:ctx_user:user_id=5" in response["Surrogate-Key"]
    assert "Accept" in response["Vary"]  # the content type follows Accept
    ctx = await gql.get("/graphql/ctx/ctx_user/?user_id=5")
    assert ctx["Cache-Control"] == "public, s-maxage=300"


@override_settings(SESSION_SAVE_EVERY_REQUEST=True)
async def test_public_responses_never_set_cookies(gql, users):
    await gql.force_login(users["alice"])
    private = await gql.post("{ whoami }")
    assert "sessionid" in private.cookies  # the session is saved on every response ...
    public = [
        await gql.get(graphql_get(PUBLIC, {"u": 5})),
        await gql.post(PUBLIC, {"u": 5}),
        await gql.get("/graphql/ctx/ctx_user/?user_id=5"),
    ]
    etag = public[-1]["ETag"]
    public.append(
        await gql.get("/graphql/ctx/ctx_user/?user_id=5", headers={"If-None-Match": etag})
    )
    assert public[-1].status_code == 304
    for response in public:  # ... but not on one that every user may be served
        assert "public" in response["Cache-Control"]
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response


@pytest.mark.parametrize("path", ["graphql-get", "graphql-post", "ctx"])
async def test_public_responses_reflect_no_unkeyed_header(gql, path):
    async def fetch(headers):
        if path == "graphql-get":
            return await gql.get(graphql_get(PUBLIC, {"u": 7}), headers=headers)
        if path == "graphql-post":
            return await gql.post(PUBLIC, {"u": 7}, headers=headers)
        return await gql.get("/graphql/ctx/ctx_user/?user_id=7", headers=headers)

    plain = await fetch({})
    hostile = await fetch(UNKEYED)
    assert "public" in hostile["Cache-Control"]
    assert hostile.content == plain.content
    assert CANARY not in hostile.content.decode()
    for name, value in hostile.items():
        assert CANARY not in value, name
    keyed = {"Date", "Vary"}
    assert {k: v for k, v in hostile.items() if k not in keyed} == {
        k: v for k, v in plain.items() if k not in keyed
    }


@pytest.mark.parametrize(
    ("method", "target", "variables"),
    [
        (
            "post",
            'query P($u: Int!) { ctxProfile(userId: $u) { userId } fail(code: "X") }',
            {"u": 1},
        ),
        ("post", PUBLIC, {"u": "not a number"}),
        ("post", "{ nope }", None),
        ("get", "/graphql?query={nope}", None),
        ("get", graphql_get("query($u: Int!) { ctxProfile(userId: $u) { nope } }", {"u": 1}), None),
        ("get", "/graphql/ctx/ctx_user/?user_id=abc", None),
        ("get", "/graphql/ctx/ctx_user/", None),
        ("get", "/graphql/ctx/nothing_here/", None),
        ("post", '{ fail(code: "boom") }', None),
    ],
)
async def test_error_responses_are_never_cacheable(gql, users, method, target, variables):
    await gql.force_login(users["alice"])
    if method == "post":
        response = await gql.post(target, variables)
    else:
        response = await gql.get(target)
    body = response.json()
    assert body.get("errors"), body
    assert response["Cache-Control"] == "no-store"
    for header in TAGS:
        assert header not in response


@override_settings(
    MIZAN={"EDGE_PURGERS": ["tests.security.test_caching.RecordingPurger"]},
    MIDDLEWARE=[
        "mizan_gql.edge.EdgePurgeMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "mizan_gql.contexts.middleware.InvalidationMiddleware",
    ],
)
async def test_client_sent_invalidation_header_is_ignored(gql):
    RECORDED.clear()
    header = {"X-Mizan-Invalidate": "ctx_user, ctx_user;user_id=5, ctx_me"}
    for response in (
        await gql.post(PUBLIC, {"u": 5}, headers=header),
        await gql.get("/graphql/ctx/ctx_user/?user_id=5", headers=header),
        await gql.post("{ nope }", headers=header),
    ):
        assert "X-Mizan-Invalidate" not in response
        assert "invalidate" not in json.dumps(response.json().get("extensions") or {})
    assert wait_for_purges(10)
    assert RECORDED == []  # no purge was triggered
    # Positive control: a mutation that really invalidates reports and purges its own.
    mutation = 'mutation { ctxRename(userId: 5, displayName: "x") { userId } }'
    response = await gql.post(mutation, headers=header)
    assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=5"
    assert wait_for_purges(10)  # the purge is made in the background
    assert len(RECORDED) == 1
