"""The context cache through the HTTP stack, on LocMem and on a real Redis."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient, Client

from mizan_gql import ainvalidate, invalidate
from tests.conftest import GraphQLClient
from tests.contexts_app.mizan_clients import CALLS, NAMES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("context_cache")]

PROFILE = "query($u: Int!) { ctxProfile(userId: $u) { userId displayName } }"
ME = "{ ctxMe { userId userName } }"
NOTE = "query($t: String!) { ctxNote(topic: $t) }"


def fresh(gql: GraphQLClient) -> GraphQLClient:
    """Another browser on the same stack (no cookies shared)."""
    return GraphQLClient(AsyncClient() if gql.is_async else Client(), gql.is_async)


async def profile(gql: GraphQLClient, user_id: int) -> str:
    body = await gql.execute(PROFILE, {"u": user_id})
    return body["data"]["ctxProfile"]["displayName"]


async def test_repeated_query_is_a_hit(gql):
    assert await profile(gql, 5) == "user 5"
    assert await profile(gql, 5) == "user 5"
    assert CALLS["ctx_profile"] == 1
    assert await profile(gql, 6) == "user 6"
    assert CALLS["ctx_profile"] == 2


async def test_public_entries_are_shared_between_users(gql, users):
    await gql.force_login(users["alice"])
    other = fresh(gql)
    await other.force_login(users["bob"])
    anonymous = fresh(gql)
    for client in (gql, other, anonymous):
        assert await profile(client, 5) == "user 5"
    assert CALLS["ctx_profile"] == 1


async def test_private_entries_are_per_user(gql, users):
    alice, bob, anonymous, anonymous2 = gql, fresh(gql), fresh(gql), fresh(gql)
    await alice.force_login(users["alice"])
    await bob.force_login(users["bob"])
    for _ in range(2):
        assert (await alice.execute(ME))["data"]["ctxMe"]["userName"] == "alice"
        assert (await bob.execute(ME))["data"]["ctxMe"]["userName"] == "bob"
        assert (await anonymous.execute(ME))["data"]["ctxMe"] == {"userId": None, "userName": ""}
    # Every anonymous request shares one entry.
    assert (await anonymous2.execute(ME))["data"]["ctxMe"]["userName"] == ""
    assert CALLS["ctx_me"] == 3


async def test_private_parameterised_context_is_per_user_and_params(gql, users):
    alice, bob = gql, fresh(gql)
    await alice.force_login(users["alice"])
    await bob.force_login(users["bob"])
    assert (await alice.execute(NOTE, {"t": "x"}))["data"]["ctxNote"] == "alice:x"
    assert (await bob.execute(NOTE, {"t": "x"}))["data"]["ctxNote"] == "bob:x"
    assert (await alice.execute(NOTE, {"t": "y"}))["data"]["ctxNote"] == "alice:y"
    assert (await alice.execute(NOTE, {"t": "x"}))["data"]["ctxNote"] == "alice:x"
    assert CALLS["ctx_note"] == 3


async def test_private_responses_never_say_public(gql, users):
    await gql.force_login(users["alice"])
    response = await gql.post(ME)
    assert response["Cache-Control"] == "private"
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response
    # One private field makes a mixed query private too.
    response = await gql.post("{ ctxMe { userName } ctxProfile(userId: 1) { userId } }")
    assert response["Cache-Control"] == "private"


async def test_public_responses_carry_ttl_and_tags(gql):
    response = await gql.post(
        "query($u: Int!) { ctxProfile(userId: $u) { userId } ctxProfileTags(userId: $u) }",
        {"u": 5},
    )
    # The shortest ttl of the fields (ctx_profile 600, ctx_profile_tags 300).
    assert response["Cache-Control"] == "public, s-maxage=300"
    tags = "ctx:ctx_user ctx:ctx_user:user_id=5"
    assert response["Surrogate-Key"] == response["xkey"] == tags
    assert response["Cache-Tag"] == "ctx:ctx_user,ctx:ctx_user:user_id=5"
    # A query that also asks for a non-context field is not described as public.
    response = await gql.post('{ ctxProfile(userId: 5) { userId } echo(text: "x") { message } }')
    assert "public" not in response.get("Cache-Control", "")


async def test_cache_none_is_never_cached(gql):
    first = (await gql.execute("{ ctxClock }"))["data"]["ctxClock"]
    second = (await gql.execute("{ ctxClock }"))["data"]["ctxClock"]
    assert second == first + 1
    assert (await gql.post("{ ctxClock }"))["Cache-Control"] == "no-store"


async def test_values_with_separators_never_collide(gql):
    query = "query($a: String!, $b: String!) { ctxPair(a: $a, b: $b) }"
    one = await gql.execute(query, {"a": "x:y", "b": "z"})
    two = await gql.execute(query, {"a": "x", "b": "y:z"})
    three = await gql.execute(query, {"a": 'x","s', "b": "z"})
    assert one["data"]["ctxPair"] == "x:y|z"
    assert two["data"]["ctxPair"] == "x|y:z"
    assert three["data"]["ctxPair"] == 'x","s|z'
    assert CALLS["ctx_pair"] == 3


async def test_invalidate_by_params(gql):
    await profile(gql, 5), await profile(gql, 6)
    NAMES[5], NAMES[6] = "five", "six"
    await sync_to_async(invalidate)("ctx_user", user_id=5)
    assert await profile(gql, 5) == "five"
    assert await profile(gql, 6) == "user 6"  # still the cached entry
    assert CALLS["ctx_profile"] == 3


async def test_invalidate_by_some_or_all_params_of_a_context_with_two(gql):
    query = "query($a: String!, $b: String!) { ctxPair(a: $a, b: $b) }"
    pairs = [("x", "1"), ("x", "2"), ("y", "1")]
    for a, b in pairs:
        await gql.execute(query, {"a": a, "b": b})
    assert CALLS["ctx_pair"] == 3
    await ainvalidate("ctx_pair", a="x")  # both entries with a=x, whatever b is
    for a, b in pairs:
        await gql.execute(query, {"a": a, "b": b})
    assert CALLS["ctx_pair"] == 5
    await ainvalidate("ctx_pair", a="y", b="1")  # exactly one entry
    for a, b in pairs:
        await gql.execute(query, {"a": a, "b": b})
    assert CALLS["ctx_pair"] == 6
    await ainvalidate("ctx_pair", b="2")
    for a, b in pairs:
        await gql.execute(query, {"a": a, "b": b})
    assert CALLS["ctx_pair"] == 7


async def test_invalidate_a_context_without_params(gql):
    await gql.execute(ME), await gql.execute(ME)
    assert CALLS["ctx_me"] == 1
    await ainvalidate("ctx_me")
    await gql.execute(ME), await gql.execute(ME)
    assert CALLS["ctx_me"] == 2


async def test_invalidate_coerces_params_like_graphql_arguments(gql):
    await profile(gql, 5)
    NAMES[5] = "five"
    await ainvalidate("ctx_user", user_id="5")  # the context declares user_id: int
    assert await profile(gql, 5) == "five"


async def test_invalidate_whole_context(gql):
    await profile(gql, 5), await profile(gql, 6)
    NAMES[5], NAMES[6] = "five", "six"
    await ainvalidate("ctx_user")
    assert await profile(gql, 5) == "five"
    assert await profile(gql, 6) == "six"


async def test_invalidate_rejects_unknown_parameters():
    with pytest.raises(ValueError, match="has no parameter user"):
        await ainvalidate("ctx_user", user=5)


async def test_mutation_invalidates_the_entry_named_by_its_arguments(gql):
    await profile(gql, 5), await profile(gql, 6)
    response = await gql.post(
        'mutation { ctxRename(userId: 5, displayName: "Bob") { displayName } }'
    )
    assert response.status_code == 200
    assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=5"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["extensions"]["mizan"]["invalidate"] == ["ctx_user;user_id=5"]
    assert await profile(gql, 5) == "Bob"
    assert await profile(gql, 6) == "user 6"
    assert CALLS["ctx_profile"] == 3


async def test_mutation_without_the_parameters_invalidates_the_whole_context(gql):
    NAMES[5] = "five"
    await profile(gql, 5), await profile(gql, 6)
    response = await gql.post('mutation { ctxRenameEveryone(displayName: "Same") }')
    assert response["X-Mizan-Invalidate"] == "ctx_user"
    assert response.json()["extensions"]["mizan"]["invalidate"] == ["ctx_user"]
    assert await profile(gql, 5) == "Same"


async def test_failed_mutation_invalidates_nothing(gql):
    await profile(gql, 5)
    response = await gql.post("mutation { ctxRenameFails(userId: 5) }")
    assert response.status_code == 200
    assert response.json()["errors"]
    assert "X-Mizan-Invalidate" not in response
    assert "extensions" not in response.json()
    await profile(gql, 5)
    assert CALLS["ctx_profile"] == 1


async def test_invalidations_inside_a_function_are_reported_once(gql, users):
    await gql.force_login(users["alice"])
    await gql.execute(NOTE, {"t": "a b;c"})
    response = await gql.post('mutation { ctxTouch(topic: "a b;c") }')
    assert response["X-Mizan-Invalidate"] == "ctx_note;topic=a%20b%3Bc, ctx_me"
    assert response.json()["extensions"]["mizan"]["invalidate"] == [
        "ctx_note;topic=a%20b%3Bc",
        "ctx_me",
    ]
    await gql.execute(NOTE, {"t": "a b;c"})
    assert CALLS["ctx_note"] == 2


async def test_queries_that_invalidate_nothing_have_no_header(gql):
    response = await gql.post(PROFILE, {"u": 1})
    assert "X-Mizan-Invalidate" not in response
    assert "extensions" not in response.json()
