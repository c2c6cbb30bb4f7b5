"""Prepared queries (mizan_gql.http.prepared): a validated query skips Strawberry's
pipeline, and nothing a client sees depends on which path answered.

Each case sends a document nobody sent before (a comment changes its hash), so the first
answer comes from the full path and the second from the prepared one.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from mizan_gql.schema.builder import MizanSchema
from mizan_gql.schema.engine.private import GRAPHQL_CORE_32

pytestmark = pytest.mark.django_db(transaction=True)

# Response headers a client or a cache acts on.
HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Surrogate-Key",
    "xkey",
    "Cache-Tag",
    "Vary",
    "X-Mizan-Invalidate",
)


@pytest.fixture
def pipeline(monkeypatch) -> Counter[str]:
    """Counts Strawberry's full pipeline (schema.execute), graphql-core executions and
    compiled ones (mizan_gql.schema.engine.compiled)."""
    import strawberry.schema.schema as strawberry_schema

    counter: Counter[str] = Counter()
    full = MizanSchema.execute

    async def counting_full(self: Any, *args: Any, **kwargs: Any) -> Any:
        counter["full"] += 1
        return await full(self, *args, **kwargs)

    core = strawberry_schema.execute

    def counting_core(*args: Any, **kwargs: Any) -> Any:
        counter["graphql-core"] += 1
        return core(*args, **kwargs)

    monkeypatch.setattr(MizanSchema, "execute", counting_full)
    monkeypatch.setattr(strawberry_schema, "execute", counting_core)
    if not GRAPHQL_CORE_32:  # compiled queries exist on graphql-core 3.3 only
        from mizan_gql.schema.engine.compiled import CompiledOperation

        compiled = CompiledOperation.execute

        async def counting_compiled(self: Any, *args: Any, **kwargs: Any) -> Any:
            counter["compiled"] += 1
            return await compiled(self, *args, **kwargs)

        monkeypatch.setattr(CompiledOperation, "execute", counting_compiled)
    return counter


def fresh(document: str) -> str:
    return f"# {uuid.uuid4().hex}\n{document}"


def seen(response) -> tuple[int, dict[str, Any], dict[str, str | None]]:
    headers = {name: response.get(name) for name in HEADERS}
    return response.status_code, json.loads(response.content), headers


async def twice(gql, document: str, variables: dict[str, Any] | None = None, **extra: Any):
    """The answers of the full path and then of the prepared path to one request."""
    first = seen(await gql.post(document, variables, **extra))
    second = seen(await gql.post(document, variables, **extra))
    return first, second


async def test_a_validated_query_skips_strawberrys_pipeline(gql, pipeline):
    document = fresh("query Echo($text: String!) { echo(text: $text) { message } }")
    for text in ("a", "b", "c"):
        assert await gql.execute(document, {"text": text}) == {"data": {"echo": {"message": text}}}
    # The first on Strawberry's path; the next ones prepared, and simple enough to compile
    # (on graphql-core 3.2, which has no compiled queries, graphql-core runs them).
    if GRAPHQL_CORE_32:
        assert pipeline == {"full": 1, "graphql-core": 3}
    else:
        assert pipeline == {"full": 1, "graphql-core": 1, "compiled": 2}


async def test_a_query_that_does_not_compile_runs_prepared_on_graphql_core(gql, pipeline):
    document = fresh("query Echo($text: String!) { __typename echo(text: $text) { message } }")
    for text in ("a", "b", "c"):
        body = await gql.execute(document, {"text": text})
        assert body == {"data": {"__typename": "Query", "echo": {"message": text}}}
    assert pipeline == {"full": 1, "graphql-core": 3}


CASES = {
    "data": ('query { echo(text: "hi") { message } }', None),
    "async function": ('query { asyncEcho(text: "hi") }', None),
    "client error": ('query { fail(code: "NOPE") }', None),
    "unexpected error, masked": ('query { fail(code: "boom") }', None),
    "pydantic field errors": ("query { positive(value: -1) }", None),
    "variable coercion": ("query Q($t: String!) { echo(text: $t) { message } }", {"t": 1}),
    "missing variable": ("query Q($t: String!) { echo(text: $t) { message } }", {}),
    "null result": ("query { maybe(present: false) { message } }", None),
    "unauthenticated": ("query { secretUser }", None),
    "public context": ("query { pqProfile(userId: 5) { userId name } }", None),
    "two public contexts": (
        "query { pqProfile(userId: 5) { name } pqStats(userId: 5) { posts } }",
        None,
    ),
    "public context beside a plain field": (
        'query { pqProfile(userId: 5) { name } echo(text: "x") { message } }',
        None,
    ),
    "private context": ("query { pqMe { username authenticated } }", None),
    "uncached context": ("query { pqLive }", None),
    "failing public context": ("query { pqBroken }", None),
}


@pytest.mark.parametrize("case", CASES)
async def test_both_paths_answer_alike(gql, pipeline, case):
    document, variables = CASES[case]
    first, second = await twice(gql, fresh(document), variables)
    if case == "uncached context":  # its value counts its calls
        first[1]["data"]["pqLive"] += 1
    assert second == first
    assert pipeline["full"] == 1  # the second answer came from the prepared path


@pytest.mark.parametrize("case", ["variable coercion", "missing variable"])
@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_request_errors_have_no_data_on_both_paths(gql, pipeline, case, accept):
    """Variables the operation cannot take are a request error (nothing executes): no
    ``data`` entry, from Strawberry's pipeline and from a prepared query alike."""
    document, variables = CASES[case]
    first, second = await twice(gql, fresh(document), variables, headers={"Accept": accept})
    assert second == first
    assert pipeline["full"] == 1  # the second answer came from the prepared path
    status, body, headers = first
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert status == (200 if accept == "application/json" else 400)
    assert headers["Content-Type"] == accept


@pytest.mark.parametrize("case", ["data", "client error", "variable coercion"])
async def test_both_paths_speak_graphql_response_json(gql, pipeline, case):
    document, variables = CASES[case]
    accept = "application/graphql-response+json"
    first, second = await twice(gql, fresh(document), variables, headers={"Accept": accept})
    assert second == first
    assert first[2]["Content-Type"] == accept
    if case == "variable coercion":  # a request error: 400 without a data entry
        assert first[0] == 400 and "data" not in first[1]
    assert pipeline["full"] == 1


async def test_the_operation_name_picks_the_operation(gql, pipeline):
    document = fresh('query A { echo(text: "a") { message } } query B { asyncEcho(text: "b") }')
    for name, data in (("A", {"echo": {"message": "a"}}), ("B", {"asyncEcho": "B"})) * 2:
        response = await gql.raw(
            "post",
            "/graphql",
            json.dumps({"query": document, "operationName": name}),
            "application/json",
        )
        assert json.loads(response.content) == {"data": data}
    unknown = await gql.raw(
        "post",
        "/graphql",
        json.dumps({"query": document, "operationName": "C"}),
        "application/json",
    )
    assert unknown.status_code == 400
    assert pipeline["full"] == 2  # the first request validated the document; then "C"


async def test_a_persisted_get_is_prepared(gql, pipeline):
    from mizan_gql.persisted import document_hash

    document = fresh("query Echo($text: String!) { echo(text: $text) { message } }")
    assert "errors" not in await gql.execute(document, {"text": "x"})  # validated
    # Registered by APQ: the query text together with its hash.
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}}
    registered = await gql.raw(
        "post",
        "/graphql",
        json.dumps({"query": document, "variables": {"text": "x"}, "extensions": extensions}),
        "application/json",
    )
    assert json.loads(registered.content) == {"data": {"echo": {"message": "x"}}}
    full = pipeline["full"]
    params = urlencode({"extensions": json.dumps(extensions), "variables": '{"text": "y"}'})
    for _ in range(2):
        response = await gql.get(f"/graphql?{params}")
        assert json.loads(response.content) == {"data": {"echo": {"message": "y"}}}
    assert pipeline["full"] == full  # both hash-only GETs were prepared


async def test_executors_are_freed_without_the_garbage_collector(gql, monkeypatch):
    """An executor (and the context and response it holds) goes when the request ends, not
    at the collector's next run: nothing it built points back at it. Both executors: the
    prepared path's and Strawberry's full path (first sight of a document, mutations)."""
    import gc
    import weakref

    import graphql

    # graphql-core 3.3's Executor, or 3.2's ExecutionContext: every executor is one.
    base = getattr(graphql, "Executor", None) or graphql.ExecutionContext
    executors: list[weakref.ref[Any]] = []
    init = base.__init__

    def tracking(self: Any, *args: Any, **kwargs: Any) -> None:
        executors.append(weakref.ref(self))
        init(self, *args, **kwargs)

    monkeypatch.setattr(base, "__init__", tracking)
    # A root __typename keeps the prepared query on graphql-core's executor (a compiled
    # query has no executor to free).
    document = fresh("query Echo($text: String!) { __typename echo(text: $text) { message } }")
    gc.collect()
    gc.disable()
    try:
        for text in ("a", "b", "c"):  # the full path validates it, then the prepared path
            assert await gql.execute(document, {"text": text}) == {
                "data": {"__typename": "Query", "echo": {"message": text}}
            }
        bumped = await gql.execute("mutation { pqBump(userId: 1) }")
        assert "errors" not in bumped, bumped
        assert len(executors) == 4
        kinds = [type(ref()).__name__ if ref() else None for ref in executors]
        assert kinds == [None, None, None, None]
    finally:
        gc.enable()


async def test_the_optimizer_still_shapes_the_sql(gql, pipeline):
    from asgiref.sync import sync_to_async

    from tests.schema.test_django_types import captured_queries
    from tests.testapp.models import Author, Book

    def library() -> None:
        for name in ("Ann", "Ben"):
            Book.objects.create(title=f"{name} I", author=Author.objects.create(name=name))

    await sync_to_async(library, thread_sensitive=True)()
    document = fresh("query { books { title author { name } } }")
    for _ in range(2):
        async with captured_queries() as queries:
            body = await gql.execute(document)
        assert body["data"]["books"][1] == {"title": "Ben I", "author": {"name": "Ben"}}
        assert len(queries) == 1, queries
        assert "JOIN" in queries[0]  # select_related, not one query per book
    assert pipeline["full"] == 1


async def test_a_mutation_by_get_is_refused_every_time(gql):
    document = fresh('query Q { echo(text: "x") { message } } mutation M { pqBump(userId: 1) }')
    posted = await gql.raw(
        "post",
        "/graphql",
        json.dumps({"query": document, "operationName": "Q"}),
        "application/json",
    )
    assert json.loads(posted.content) == {"data": {"echo": {"message": "x"}}}
    for _ in range(2):
        params = urlencode({"query": document, "operationName": "M"})
        response = await gql.get(f"/graphql?{params}")
        assert response.status_code == 405


async def test_an_unacceptable_accept_is_refused_every_time(gql):
    document = fresh('query { echo(text: "x") { message } }')
    assert "errors" not in await gql.execute(document)
    for _ in range(2):
        response = await gql.post(document, headers={"Accept": "text/html"})
        assert response.status_code == 406


async def test_trusted_mode_refuses_what_apq_mode_prepared(gql):
    document = fresh('query { echo(text: "x") { message } }')
    for _ in range(2):
        assert "errors" not in await gql.execute(document)
    with override_settings(MIZAN={"PERSISTED_QUERIES": "trusted"}):
        for _ in range(2):
            response = await gql.post(document)
            body = json.loads(response.content)
            assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"


class Tagging:
    """A project's schema extension: it must see every operation."""

    seen = 0

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from strawberry.extensions import SchemaExtension

        class _Tagging(SchemaExtension):
            def on_execute(self):  # type: ignore[override]
                Tagging.seen += 1
                yield

        return _Tagging(*args, **kwargs)


async def test_a_projects_own_extension_sees_every_operation(gql, pipeline):
    Tagging.seen = 0
    document = fresh('query { echo(text: "x") { message } }')
    with override_settings(MIZAN={"SCHEMA_EXTENSIONS": [Tagging]}):
        for _ in range(3):
            assert "errors" not in await gql.execute(document)
    assert Tagging.seen == 3
    assert pipeline["full"] == 3


async def test_a_view_that_executes_its_own_way_keeps_the_full_path(
    async_client, pipeline, settings
):
    settings.ROOT_URLCONF = "tests.http.prepared_urls"
    from tests.http.prepared_urls import CountingView

    CountingView.executed = 0
    document = fresh('query { echo(text: "x") { message } }')
    for _ in range(2):
        response = await async_client.post(
            "/graphql", json.dumps({"query": document}), content_type="application/json"
        )
        assert json.loads(response.content) == {"data": {"echo": {"message": "x"}}}
    assert CountingView.executed == 2
    assert pipeline["full"] == 2


class Stamping:
    """A project's schema extension that writes on the response resolvers can reach."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from strawberry.extensions import SchemaExtension

        class _Stamping(SchemaExtension):
            def on_execute(self):  # type: ignore[override]
                yield
                response = self.execution_context.context.response
                response["X-Stamp"] = "stamped"
                response.set_cookie("stamp", "1", httponly=True)
                response.status_code = 202

        return _Stamping(*args, **kwargs)


async def test_what_is_written_on_the_sub_response_reaches_the_client(gql):
    with override_settings(MIZAN={"SCHEMA_EXTENSIONS": [Stamping]}):
        response = await gql.post('query { echo(text: "x") { message } }')
    assert response.status_code == 202
    assert response["X-Stamp"] == "stamped"
    assert response["Content-Type"] == "application/json"
    assert response.cookies["stamp"].value == "1"
    assert response.cookies["stamp"]["httponly"] is True
    assert json.loads(response.content) == {"data": {"echo": {"message": "x"}}}
