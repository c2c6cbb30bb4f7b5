"""OpenTelemetry tracing with Strawberry's ``OpenTelemetryExtension`` added through
``MIZAN["SCHEMA_EXTENSIONS"]``, as docs/observability.md shows: each operation is one
trace whose spans are the operation, its parsing and validation, and each resolved field,
over WSGI and ASGI. The spans go to the SDK's in-memory exporter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

EXTENSION = "strawberry.extensions.tracing.OpenTelemetryExtension"
EXPORTER = InMemorySpanExporter()


def _install() -> None:
    """The process's tracer provider, exporting to EXPORTER (set once per process)."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)


@pytest.fixture
def spans(settings) -> Iterator[InMemorySpanExporter]:
    _install()
    settings.MIZAN = {"SCHEMA_EXTENSIONS": [EXTENSION]}
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


def by_name(finished: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    named = {span.name: span for span in finished}
    assert len(named) == len(finished), [span.name for span in finished]
    return named


async def post(gql, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}})
    response = await gql.raw("post", "/graphql", body, "application/json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)  # type: ignore[no-any-return]


GREETING = "query Greeting($text: String!) { echo(text: $text) { message } }"


async def test_an_operation_is_one_trace(gql, spans):
    assert await post(gql, GREETING, {"text": "hi"}) == {"data": {"echo": {"message": "hi"}}}

    named = by_name(spans.get_finished_spans())
    assert set(named) == {
        "GraphQL Query: Greeting",
        "GraphQL Parsing",
        "GraphQL Validation",
        "GraphQL Resolving: echo",
    }
    operation = named["GraphQL Query: Greeting"]
    assert operation.kind == trace.SpanKind.SERVER
    assert operation.attributes["component"] == "graphql"
    assert operation.attributes["query"] == GREETING
    for name in ("GraphQL Parsing", "GraphQL Validation", "GraphQL Resolving: echo"):
        child = named[name]
        assert child.context.trace_id == operation.context.trace_id
        assert child.parent is not None and child.parent.span_id == operation.context.span_id
    resolving = named["GraphQL Resolving: echo"]
    assert resolving.attributes["graphql.path"] == "echo"
    assert resolving.attributes["graphql.param.text"] == "hi"


async def test_a_document_seen_before_is_traced_without_parsing_again(gql, spans):
    await post(gql, GREETING, {"text": "one"})
    spans.clear()
    # The same document again: the schema runs it as a prepared query (no parsing or
    # validation, docs/architecture.md), still one trace with its operation and fields.
    assert await post(gql, GREETING, {"text": "two"}) == {"data": {"echo": {"message": "two"}}}
    named = by_name(spans.get_finished_spans())
    assert set(named) == {"GraphQL Query: Greeting", "GraphQL Resolving: echo"}
    operation, resolving = named["GraphQL Query: Greeting"], named["GraphQL Resolving: echo"]
    assert resolving.parent is not None and resolving.parent.span_id == operation.context.span_id


async def test_errors_are_traced_too(gql, spans):
    body = await post(gql, 'query Failing { fail(code: "NOT_FOUND") }')
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    named = by_name(spans.get_finished_spans())
    assert "GraphQL Query: Failing" in named and "GraphQL Resolving: fail" in named
