"""The edge protocol end to end: daphne serving the edge test project behind real Varnish.

Varnish runs the VCL that ``manage.py export_edge_manifest --format vcl`` generates. What a
user of the site would notice: repeated public pages come from the edge, private and broken
ones never do, a mutation makes exactly the changed user's pages fresh again (through the
VCL alone, or through the app's VarnishPurger), and nobody outside can purge anything.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.support.servers import free_port

from .conftest import EdgeStack, request, start_stack
from .relay import Relay

RENAME = (
    "mutation($userId: Int!, $name: String!) "
    "{ renameUser(userId: $userId, name: $name) { displayName } }"
)


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> EdgeStack:
    """Varnish purges by itself on the origin's X-Mizan-Invalidate; no app purger."""
    yield from start_stack(tmp_path_factory.mktemp("edge"), purge="", purge_on_response=True)


@pytest.fixture(scope="module", params=["urls", "tags"])
def purged_edge(request, tmp_path_factory) -> EdgeStack:
    """The app's VarnishPurger purges (by exact URL, or by xkey tag); the VCL does not."""
    yield from start_stack(
        tmp_path_factory.mktemp(f"purger-{request.param}"),
        purge=request.param,
        purge_on_response=False,
    )


def assert_cached(edge: EdgeStack, target: str) -> str:
    """GET twice through Varnish: the second answer is a hit the origin never saw."""
    before = edge.origin_hits().get(target, 0)
    first = edge.get(target)
    second = edge.get(target)
    assert first.status == second.status == 200, (first.status, first.text)
    assert second.cache == "hit", second.headers
    assert int(second.headers["Age"]) >= 0
    assert len(second.headers["X-Varnish"].split()) == 2  # "<this request> <cached object's>"
    assert second.body == first.body
    assert edge.origin_hits().get(target, 0) == before + (first.cache == "miss")
    return second.text


def assert_not_cached(edge: EdgeStack, target: str, status: int, **kwargs) -> None:
    before = edge.origin_hits().get(target, 0)
    answers = [edge.get(target, **kwargs) for _ in range(3)]
    assert [a.status for a in answers] == [status] * 3, [a.text for a in answers]
    assert [a.cache for a in answers] == ["miss"] * 3
    assert edge.origin_hits().get(target, 0) == before + 3


def purge_lines(stack: EdgeStack) -> list[str]:
    """What the origin's LoggingPurger logged, in order."""
    return re.findall(r"edge purge .*", stack.origin_log.read_text())


def purged_since(stack: EdgeStack, before: int, timeout: float = 20.0) -> list[str]:
    """The LoggingPurger's lines after the first ``before``, once there is one: the purge
    task runs after the response, in the origin's background thread, and the
    LoggingPurger after the VarnishPurger."""
    deadline = time.monotonic() + timeout
    while len(purge_lines(stack)) <= before and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the origin's log, bounded by the deadline
    return purge_lines(stack)[before:]


def profile_name(stack: EdgeStack, user_id: int) -> tuple[str, str | None]:
    response = stack.get(f"/graphql/ctx/user/?user_id={user_id}")
    assert response.status == 200, response.text
    return json.loads(response.body)["data"]["userProfile"]["displayName"], response.cache


def page(stack: EdgeStack, user_id: int) -> tuple[str, str | None]:
    response = stack.get(f"/profile/{user_id}/")
    assert response.status == 200, response.text
    return response.text, response.cache


def test_public_context_endpoint_and_view_are_served_from_varnish(edge):
    body = json.loads(assert_cached(edge, "/graphql/ctx/user/?user_id=1"))
    assert body == {"data": {"userProfile": {"userId": 1, "displayName": "user 1"}}}
    assert assert_cached(edge, "/profile/1/") == "<h1>user 1</h1>"
    response = edge.get("/profile/1/")
    assert response.headers["xkey"] == "ctx:user ctx:user:user_id=1"
    assert response.headers["Cache-Control"] == "public, s-maxage=600"


def test_context_endpoint_query_strings_share_one_canonical_object(edge):
    assert edge.get("/graphql/ctx/catalog/?page=2&category=tea").cache == "miss"
    again = edge.get("/graphql/ctx/catalog/?category=tea&page=2")
    assert again.cache == "hit"
    assert edge.origin_hits().get("/graphql/ctx/catalog/?category=tea&page=2") == 1


def test_cookies_do_not_defeat_the_cache_of_public_contexts(edge):
    assert_cached(edge, "/graphql/ctx/user/?user_id=2")
    with_cookie = edge.get("/graphql/ctx/user/?user_id=2", headers={"Cookie": "sessionid=abc"})
    assert with_cookie.cache == "hit"


def test_private_contexts_are_never_cached(edge):
    target = "/graphql/ctx/current_visitor/"
    assert_not_cached(edge, target, 200)
    response = edge.get(target)
    assert response.headers["Cache-Control"] == "private, max-age=0"
    assert json.loads(response.body)["data"]["currentVisitor"]["authenticated"] is False


@pytest.mark.parametrize(
    "target, status",
    [
        ("/graphql/ctx/user/?user_id=abc", 400),  # invalid parameter
        ("/graphql/ctx/user/", 400),  # missing parameter
        ("/graphql/ctx/nope/", 404),  # no such context
        ("/boom/", 500),  # an error that claims to be public
        ("/graphql/ctx/user/?user_id=1000", 200),  # a GraphQL error (NOT_FOUND)
        ("/cookie/", 200),  # public, but sets a cookie
    ],
)
def test_errors_and_responses_setting_cookies_are_never_cached(edge, target, status):
    assert_not_cached(edge, target, status)


def test_a_mutation_through_varnish_purges_exactly_the_changed_user(edge):
    for user_id in (5, 6):
        assert_cached(edge, f"/graphql/ctx/user/?user_id={user_id}")
        assert_cached(edge, f"/profile/{user_id}/")

    response = edge.graphql(RENAME, {"userId": 5, "name": "Fifi"})
    assert response.status == 200, response.text
    assert response.headers["X-Mizan-Invalidate"] == "user;user_id=5"
    assert json.loads(response.body)["extensions"]["mizan"]["invalidate"] == ["user;user_id=5"]

    assert profile_name(edge, 5) == ("Fifi", "miss")
    assert page(edge, 5) == ("<h1>Fifi</h1>", "miss")
    assert profile_name(edge, 5) == ("Fifi", "hit")
    assert profile_name(edge, 6) == ("user 6", "hit")
    assert page(edge, 6) == ("<h1>user 6</h1>", "hit")


def test_x_mizan_invalidate_sent_by_clients_is_stripped_and_purges_nothing(edge):
    assert_cached(edge, "/graphql/ctx/user/?user_id=7")
    assert_cached(edge, "/profile/7/")
    forged = {"X-Mizan-Invalidate": "user;user_id=7, user"}
    # On a cached page, on a page fetched from the origin and on a GraphQL request.
    assert edge.get("/profile/7/", headers=forged).cache == "hit"
    assert edge.get("/profile/8/", headers=forged).cache == "miss"
    query = "query($id: Int!) { userProfile(userId: $id) { displayName } }"
    response = edge.graphql(query, {"id": 7}, headers=forged)
    assert response.status == 200 and "X-Mizan-Invalidate" not in response.headers
    assert edge.received_invalidate() == []
    assert page(edge, 7) == ("<h1>user 7</h1>", "hit")
    assert profile_name(edge, 7) == ("user 7", "hit")


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Mizan-Purge-Tags": "ctx:user:user_id=9"}, {"X-Mizan-Purge-Tags": "ctx:user"}],
)
def test_purge_requests_from_outside_the_acl_are_refused(edge, headers):
    assert_cached(edge, "/profile/9/")
    # 127.0.0.2 is loopback too, but not in the generated VCL's purge ACL.
    answer = request(edge.varnish_port, "PURGE", "/profile/9/", headers=headers, source="127.0.0.2")
    assert answer.status == 405
    # Purge headers on an ordinary request are dropped too.
    assert edge.get("/profile/9/", headers=headers).cache == "hit"
    assert page(edge, 9) == ("<h1>user 9</h1>", "hit")
    # The same PURGE from an address of the ACL does purge.
    answer = request(edge.varnish_port, "PURGE", "/profile/9/", headers=headers)
    assert answer.status == 200
    assert page(edge, 9) == ("<h1>user 9</h1>", "miss")


def test_malformed_tag_purges_are_rejected(edge):
    assert_cached(edge, "/profile/10/")
    answer = request(
        edge.varnish_port, "PURGE", "/", headers={"X-Mizan-Purge-Tags": "ctx:user (.*)"}
    )
    assert answer.status == 400
    assert page(edge, 10) == ("<h1>user 10</h1>", "hit")


def test_the_apps_purger_purges_exactly_the_changed_users_urls(purged_edge):
    edge = purged_edge
    for user_id in (5, 6):
        assert_cached(edge, f"/graphql/ctx/user/?user_id={user_id}")
        assert_cached(edge, f"/profile/{user_id}/")

    # Straight to the origin: only the app's purger can purge Varnish here.
    before = len(purge_lines(edge))
    response = edge.graphql(RENAME, {"userId": 5, "name": "Cinq"}, via_varnish=False)
    assert response.status == 200, response.text
    assert response.headers["X-Mizan-Invalidate"] == "user;user_id=5"

    base = edge.base_url
    assert purged_since(edge, before) == [
        f"edge purge urls={base}/graphql/ctx/user/?user_id=5 {base}/profile/5/ "
        "tags=ctx:user:user_id=5 prefixes=-"
    ]
    assert profile_name(edge, 5) == ("Cinq", "miss")
    assert page(edge, 5) == ("<h1>Cinq</h1>", "miss")
    assert profile_name(edge, 6) == ("user 6", "hit")
    assert page(edge, 6) == ("<h1>user 6</h1>", "hit")


def test_a_partial_invalidation_of_a_two_parameter_context(edge):
    tea = ["/graphql/ctx/catalog/?category=tea&page=1", "/shop/tea/page-1.html"]
    coffee = ["/graphql/ctx/catalog/?category=coffee&page=1", "/shop/coffee/page-1.html"]
    for target in tea + coffee:
        assert_cached(edge, target)
    restock = 'mutation { restock(category: "tea", amount: 3) }'
    response = edge.graphql(restock, {})
    assert response.headers["X-Mizan-Invalidate"] == "catalog;category=tea"
    fresh = [edge.get(target) for target in tea]
    assert [r.cache for r in fresh] == ["miss", "miss"]
    assert '"stock":3' in fresh[0].text and "3 in stock" in fresh[1].text
    assert [edge.get(target).cache for target in coffee] == ["hit", "hit"]


def test_a_whole_context_invalidation_purges_every_user(edge):
    edge.graphql(RENAME, {"userId": 30, "name": "Trente"})
    for user_id in (30, 31):
        assert_cached(edge, f"/graphql/ctx/user/?user_id={user_id}")
        assert_cached(edge, f"/profile/{user_id}/")
    assert_cached(edge, "/graphql/ctx/catalog/?category=tea&page=9")
    response = edge.graphql("mutation { forgetNames }", {})
    assert response.headers["X-Mizan-Invalidate"] == "user"
    assert profile_name(edge, 30) == ("user 30", "miss")
    assert page(edge, 31) == ("<h1>user 31</h1>", "miss")
    assert edge.get("/graphql/ctx/catalog/?category=tea&page=9").cache == "hit"


def test_the_apps_purger_and_a_whole_context_invalidation(purged_edge, request):
    edge = purged_edge
    mode = request.node.callspec.params["purged_edge"]
    for user_id in (40, 41):
        assert_cached(edge, f"/profile/{user_id}/")
    before = len(purge_lines(edge))
    response = edge.graphql("mutation { forgetNames }", {}, via_varnish=False)
    assert response.headers["X-Mizan-Invalidate"] == "user"
    base = edge.base_url
    assert purged_since(edge, before) == [
        f"edge purge urls=- tags=ctx:user prefixes={base}/graphql/ctx/user/ {base}/profile/"
    ]
    # Exact URLs cannot list every user: only the tag (xkey) purge reaches them.
    expected = "miss" if mode == "tags" else "hit"
    assert [page(edge, user_id)[1] for user_id in (40, 41)] == [expected, expected]


@pytest.fixture(scope="module")
def unreachable_edge(tmp_path_factory):
    """The app's VarnishPurger sends its PURGEs to a port nothing listens on until the
    test starts a relay there to the running Varnish (whose cache stays as it was)."""
    relay_port = free_port()
    stack = start_stack(
        tmp_path_factory.mktemp("down-at-first"),
        purge="tags",
        purge_on_response=False,
        extra_env={
            "EDGE_TEST_PURGE_SERVER": f"http://127.0.0.1:{relay_port}",
            "EDGE_TEST_BACKOFF": "0.2",
        },
    )
    edge = next(stack)
    relay = Relay(relay_port, edge.varnish_port)
    try:
        yield edge, relay
    finally:
        relay.stop()
        stack.close()


def test_a_purge_to_a_varnish_down_at_first_lands_when_it_comes_back(unreachable_edge):
    edge, relay = unreachable_edge
    assert_cached(edge, "/profile/70/")
    response = edge.graphql(RENAME, {"userId": 70, "name": "Septante"}, via_varnish=False)
    assert response.status == 200, response.text
    # The PURGE was refused and will be retried: the page is still the cached one.
    deadline = time.monotonic() + 20
    while "failed (attempt 1 of 6), retrying" not in edge.origin_log.read_text():
        assert time.monotonic() < deadline, edge.origin_log.read_text()
        time.sleep(0.05)  # polling the origin's log, bounded by the deadline
    assert page(edge, 70) == ("<h1>user 70</h1>", "hit")
    relay.start()  # Varnish is back
    deadline = time.monotonic() + 30
    while page(edge, 70) == ("<h1>user 70</h1>", "hit"):
        assert time.monotonic() < deadline, edge.origin_log.read_text()
        time.sleep(0.05)  # polling Varnish (a hit changes nothing), bounded by the deadline
    assert relay.connections >= 1
    assert page(edge, 70) == ("<h1>Septante</h1>", "hit")  # refetched once, cached again
    assert "Edge purge lost" not in edge.origin_log.read_text()
