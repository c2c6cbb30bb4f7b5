"""Document limits are on without configuration, overridable, and cheap to enforce.

Each hostile document here is one that Strawberry's own limiters either let through
(comments are not tokens for graphql-core) or take exponential time over (fragments that
spread each other twice per level), or one that could exhaust the recursion limit.
"""

from __future__ import annotations

import json
import time

import pytest
from django.test import override_settings

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db

TREE = "query Deep { pqTree(depth: 1) { %s label %s } }"


def deep(levels: int) -> str:
    return TREE % ("children { " * levels, "}" * levels)


def fragment_dag(levels: int, leaf: str, fan_out: int = 2) -> str:
    """F0 spreads F1 ``fan_out`` times, F1 spreads F2 ... : fan_out**levels when expanded."""
    fragments = [
        f"fragment F{i} on Query {{ {' '.join(f'...F{i + 1}' for _ in range(fan_out))} }}"
        for i in range(levels - 1)
    ]
    fragments.append(f"fragment F{levels - 1} on Query {{ {leaf} }}")
    return "query Dag { ...F0 }\n" + "\n".join(fragments)


async def refused(gql, query: str, code: str = "GRAPHQL_VALIDATION_FAILED") -> str:
    body = await gql.execute(query)
    assert body.get("data") is None, body
    assert set(codes_of(body)) == {code}, body
    return " ".join(e["message"] for e in body["errors"])


async def test_depth_limit_is_on_by_default(gql):
    assert (await gql.execute(deep(14)))["data"]["pqTree"] is not None  # depth 15
    message = await refused(gql, deep(15))
    assert "exceeds maximum operation depth of 15" in message


async def test_depth_is_followed_through_fragments(gql):
    query = (
        "query Deep { pqTree(depth: 1) { ...A } } fragment A on PqNode { children { ...B } } "
        "fragment B on PqNode { " + "children { " * 14 + "label" + " }" * 14 + " }"
    )
    assert "maximum operation depth" in await refused(gql, query)


async def test_aliases_are_counted_through_fragment_spreads(gql):
    aliases = " ".join(f"a{i}: whoami" for i in range(10))
    # 10 aliases written once, spread 4 times: 40 > 30.
    query = "{ ...A ...B } fragment A on Query { ...F } fragment B on Query { ...F ...F ...F } "
    query += f"fragment F on Query {{ {aliases} }}"
    assert "aliases found. Allowed: 30" in await refused(gql, query)
    three = (
        "{ ...A } fragment A on Query { ...F ...F ...F } " + f"fragment F on Query {{ {aliases} }}"
    )
    assert (await gql.execute(three))["data"]["a0"] == ""  # 30 aliases: allowed


async def test_exponential_fragment_expansion_is_refused_quickly(gql):
    # 2**40 aliases once expanded; Strawberry's MaxAliasesLimiter walks every path.
    started = time.monotonic()
    message = await refused(gql, fragment_dag(40, "a: whoami"))
    assert "aliases found" in message
    # Directives and plain fields (no alias) expand the same way.
    assert "directives" in await refused(gql, fragment_dag(40, "whoami @include(if: true)"))
    body = await gql.execute(fragment_dag(40, "whoami"))
    assert body == {"data": {"whoami": ""}}  # valid: execution merges repeated spreads
    assert time.monotonic() - started < 10  # minutes without memoised fragments


async def test_tokens_include_comments(gql):
    small = "{ whoami }"
    assert (await gql.execute(small + "\n# a comment" * 100))["data"] == {"whoami": ""}
    message = await refused(gql, small + "\n#" * 2000, "GRAPHQL_PARSE_FAILED")
    assert "more than 2000 tokens" in message
    assert "more than 2000 tokens" in await refused(
        gql, "{ " + "whoami " * 2001 + "}", "GRAPHQL_PARSE_FAILED"
    )


async def test_directives_are_capped(gql):
    query = "{ ...F } fragment F on Query { " + " ".join(
        f"a{i}: whoami @include(if: true) @skip(if: false)" for i in range(26)
    )
    assert "more than 50 directives" in await refused(gql, query + " }")


async def test_document_size_is_capped_before_parsing(gql):
    query = "{ whoami }" + " " * 40_000
    assert "larger than 32768 bytes" in await refused(gql, query, "GRAPHQL_PARSE_FAILED")


async def test_validation_stops_after_the_error_cap(gql):
    body = await gql.execute("{ " + " ".join(f"nope{i}" for i in range(500)) + " }")
    assert "data" not in body  # a request error: nothing was executed
    assert len(body["errors"]) == 21  # 20, then "Too many validation errors"
    assert "error limit reached" in body["errors"][-1]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "{ ...A } fragment A on Query { whoami ...A }",
        "{ ...A } fragment A on Query { ...B } fragment B on Query { whoami ...A }",
        "{ ...F0 } "
        + " ".join(f"fragment F{i} on Query {{ whoami ...F{(i + 1) % 150} }}" for i in range(150)),
    ],
    ids=["self", "mutual", "long"],
)
async def test_circular_fragments_are_refused_without_recursion_errors(gql, query):
    assert "within itself" in await refused(gql, query)


async def test_nesting_beyond_the_parser_limit_is_a_parse_error(gql):
    query = "{ echo(text: " + "[" * 1500 + "]" * 1500 + ") { message } }"
    assert "nested too deeply" in await refused(gql, query, "GRAPHQL_PARSE_FAILED")


@pytest.mark.parametrize(
    "nest",
    [
        lambda n: "{ echo(text: " + "[" * (n - 1) + "]" * (n - 1) + ") { message } }",
        lambda n: "{ echoJson(data: " + "{a: " * (n - 1) + "1" + "}" * (n - 1) + ") }",
        lambda n: "{" + " pqTree(depth: 1) {" * (n - 1) + " label" + " }" * n,
    ],
    ids=["lists", "input-objects", "selection-sets"],
)
async def test_nesting_is_refused_one_level_past_200_on_every_graphql_core(gql, nest):
    """mizan_gql's own guard, before parsing: graphql-core 3.2 before 3.2.14 has none (its
    parser ran out of stack), 3.2.14 and 3.3 stop at 200 levels too. Braces and brackets
    inside strings and comments do not count."""
    body = await gql.execute(nest(200))
    assert "GRAPHQL_PARSE_FAILED" not in codes_of(body), body  # parsed (maybe invalid)
    assert "nested too deeply" in await refused(gql, nest(201), "GRAPHQL_PARSE_FAILED")
    quoted = '{ echo(text: "' + "[{" * 300 + '") { message } } # ' + "{" * 300
    assert (await gql.execute(quoted))["data"] == {"echo": {"message": "[{" * 300}}


async def test_batching_is_off(gql):
    batch = json.dumps([{"query": "{ whoami }"}, {"query": "{ whoami }"}])
    response = await gql.raw("post", "/graphql", batch, "application/json")
    assert response.status_code == 400
    assert "Batching is not enabled" in response.json()["errors"][0]["message"]


@override_settings(
    MIZAN={
        "MAX_DEPTH": 40,
        "MAX_ALIASES": 100,
        "MAX_TOKENS": 5000,
        "MAX_DIRECTIVES": 100,
        "MAX_DOCUMENT_SIZE": 100_000,
        "MAX_VALIDATION_ERRORS": 200,
    }
)
async def test_every_limit_can_be_raised(gql):
    assert (await gql.execute(deep(30)))["data"]["pqTree"] is not None
    aliases = " ".join(f"a{i}: whoami" for i in range(60))
    assert (await gql.execute("{ " + aliases + " }"))["data"]["a59"] == ""
    assert (await gql.execute("{ whoami }" + "\n#" * 3000))["data"] == {"whoami": ""}
    directives = " ".join(f"a{i}: whoami @include(if: true)" for i in range(70))
    assert (await gql.execute("{ " + directives + " }"))["data"]["a69"] == ""
    assert (await gql.execute("{ whoami }" + " " * 60_000))["data"] == {"whoami": ""}
    body = await gql.execute("{ " + " ".join(f"nope{i}" for i in range(150)) + " }")
    assert len(body["errors"]) == 150


@override_settings(MIZAN={"MAX_ALIASES": 2, "MAX_DEPTH": 1, "MAX_DOCUMENT_SIZE": 64})
async def test_limits_can_be_lowered(gql):
    await refused(gql, "{ a: whoami b: whoami c: whoami }")
    await refused(gql, "{ authors { books { title } } }")
    await refused(gql, "{ whoami }" + " " * 100, "GRAPHQL_PARSE_FAILED")


async def test_limits_apply_to_subscriptions_too(sockets):
    socket = await sockets()
    dag = (
        fragment_dag(40, "a: newsChannel { headline }")
        .replace("query Dag", "subscription Dag")
        .replace("on Query", "on Subscription")
    )
    await socket.subscribe("1", dag)
    message = await socket.receive()
    assert message["type"] == "error", message
    assert "aliases found" in message["payload"][0]["message"]
