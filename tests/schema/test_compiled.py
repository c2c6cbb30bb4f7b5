"""A compiled query answers exactly what graphql-core answers (engine/compiled.py).

The first request of a document takes Strawberry's path, which executes it with
graphql-core; the same text sent again is a prepared query, which runs compiled. Both go
through the real ASGI stack, and the two JSON bodies must be equal: data, errors with their
messages, paths, locations and ``extensions.code``.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest
from django.test import AsyncClient
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from graphql.pyutils import Undefined
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from mizan_gql import client, get_schema
from mizan_gql.persisted import document_hash
from mizan_gql.persisted.documents import document_cache
from mizan_gql.registry import use_registry
from mizan_gql.schema.engine import graphql_schema
from mizan_gql.schema.engine.private import GRAPHQL_CORE_32

pytestmark = pytest.mark.django_db(transaction=True)
# Compiled queries build on graphql-core 3.3's execution API; on 3.2 (graphene-django's
# release) graphql-core runs every query, which the last test checks.
compiles = pytest.mark.skipif(GRAPHQL_CORE_32, reason="no compiled queries on graphql-core 3.2")

# Queries of the test registry (tests/testapp/mizan_clients.py) whose results are pydantic
# models, scalars, enums or lists of them: every selection of them compiles.
COMPILED_FUNCTIONS = (
    "echo",
    "scalars",
    "describePerson",
    "positive",
    "personDict",
    "maybe",
    "asyncEcho",
    "whoami",
    "fail",
    "secretUser",
    "pickMode",
    "echoJson",
    "defaults",
    "guardedPositive",
)

# Valid and invalid values of the custom scalars.
SCALAR_SAMPLES: dict[str, tuple[list[Any], list[Any]]] = {
    "Decimal": (["1.50", "-3", 2, 1.25], ["abc", [1]]),
    "Date": (["2024-02-29", "2020-01-01"], ["2023-02-29", "today", 3]),
    "DateTime": (["2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05"], ["x", 1.5]),
    "Time": (["03:04:05", "23:59"], ["25:00", "noon"]),
    "UUID": ([str(uuid.UUID(int=7))], ["not-a-uuid", 12]),
    "JSON": ([{"a": [1, "b"]}, [1, 2], "text", 3, {"nested": {"x": None}}], []),
}
BUILTIN_SAMPLES: dict[str, Any] = {
    "String": st.sampled_from(["hi", "", "admin", "boom", "Main", "12345", "fast", "slow"]),
    "Int": st.integers(-3, 200),
    "Float": st.floats(-1e6, 1e6, allow_nan=False),
    "Boolean": st.booleans(),
}
WRONG = st.sampled_from(["x", 1.5, True, [1], {"a": 1}, 2**31, -(2**31) - 1])


async def post(client: AsyncClient, query: str, variables: dict[str, Any]) -> tuple[int, Any]:
    body = json.dumps({"query": query, "variables": variables})
    response = await client.post("/graphql", body, content_type="application/json")
    return response.status_code, json.loads(response.content)


async def both_paths(query: str, variables: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(graphql-core's answer, the compiled answer, the compiled operation or None)."""
    text = f"# {uuid.uuid4().hex}\n{query}"  # a new document: its first request is not prepared
    client = AsyncClient()
    first = await post(client, text, variables)
    second = await post(client, text, variables)
    entry = document_cache(get_schema()).get(document_hash(text))
    compiled = None if entry is None else next(iter(entry.compiled.values()), None)
    return first, second, compiled


def input_values(draw: Any, type_: Any, bad: bool, depth: int = 0, nullable: bool = True) -> Any:
    """A value for a variable of ``type_``; when ``bad``, some values are not coercible."""

    def wrong(odds: int) -> bool:
        return bad and draw(st.integers(0, odds)) == 0

    if isinstance(type_, GraphQLNonNull):
        return None if wrong(9) else input_values(draw, type_.of_type, bad, depth, False)
    if nullable and draw(st.integers(0, 9)) == 0:
        return None
    if isinstance(type_, GraphQLList):
        if draw(st.integers(0, 4)) == 0:
            return input_values(draw, type_.of_type, bad, depth + 1)  # one item for a list
        size = draw(st.integers(0, 3))
        return [input_values(draw, type_.of_type, bad, depth + 1) for _ in range(size)]
    if isinstance(type_, GraphQLEnumType):
        return (
            draw(st.sampled_from(["NOPE", 1]))
            if wrong(5)
            else draw(st.sampled_from([*type_.values]))
        )
    if isinstance(type_, GraphQLInputObjectType):
        value = {
            name: input_values(draw, field.type, bad, depth + 1)
            for name, field in type_.fields.items()
            if depth < 3 and (isinstance(field.type, GraphQLNonNull) or draw(st.booleans()))
        }
        if wrong(5):
            value["bogus"] = 1
        return value
    assert isinstance(type_, GraphQLScalarType)
    if type_.name in SCALAR_SAMPLES:
        valid, invalid = SCALAR_SAMPLES[type_.name]
        return draw(st.sampled_from(invalid if invalid and wrong(5) else valid))
    return draw(WRONG) if wrong(8) else draw(BUILTIN_SAMPLES[type_.name])


def selection(draw: Any, type_: Any, depth: int = 0) -> str:
    """A random valid sub-selection of an output type (aliases, repeats, __typename)."""
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType):
        return ""
    names = ["__typename"]
    for name, field in named.fields.items():  # objects nest at most three levels deep
        if depth < 3 or not isinstance(get_named_type(field.type), GraphQLObjectType):
            names.append(name)
    picked = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5))
    parts = []
    for index, name in enumerate(picked):
        alias = f"a{index}: " if draw(st.integers(0, 3)) == 0 else ""
        sub = "" if name == "__typename" else selection(draw, named.fields[name].type, depth + 1)
        parts.append(f"{alias}{name} {sub}".strip())
    return "{ " + " ".join(parts) + " }"


@st.composite
def operations(draw: Any) -> tuple[str, dict[str, Any]]:
    root = graphql_schema(get_schema()).query_type
    assert root is not None
    chosen = draw(st.lists(st.sampled_from(COMPILED_FUNCTIONS), min_size=1, max_size=2))
    bad = draw(st.integers(0, 3)) == 0  # a quarter of the operations have bad variables
    definitions, fields, variables = [], [], {}
    for index, name in enumerate(chosen):
        field = root.fields[name]
        arguments = []
        for arg_name, arg in field.args.items():
            variable = f"v{index}_{arg_name}"
            definitions.append(f"${variable}: {arg.type}")
            arguments.append(f"{arg_name}: ${variable}")
            required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
            if required or draw(st.booleans()) or (bad and draw(st.booleans())):
                variables[variable] = input_values(draw, arg.type, bad)
        args = f"({', '.join(arguments)})" if arguments else ""
        fields.append(f"f{index}: {name}{args} {selection(draw, field.type)}")
    header = f"({', '.join(definitions)})" if definitions else ""
    return f"query Random{header} {{ {' '.join(fields)} }}", variables


@compiles
@settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(operations())
async def test_compiled_answers_as_graphql_core_does(caplog, operation):
    caplog.set_level(logging.CRITICAL, logger="mizan_gql")  # "boom" is logged on both paths
    query, variables = operation
    graphql_core, compiled_answer, compiled = await both_paths(query, variables)
    assert compiled_answer == graphql_core
    status, body = graphql_core
    if status == 200 and "data" in body:  # a document that validated: it ran compiled
        assert compiled is not None, query
    event(f"status {status}, data: {body.get('data') is not None}, errors: {'errors' in body}")
    for error in body.get("errors", []):
        event(f"{error['message'][:40]} {error.get('path')}")


# Values pydantic did not check (model_construct) reach completion: graphql-core's
# result errors, null propagation and list items, compared the same way.
class Point(BaseModel):
    x: int
    label: str | None = None


class Shape(BaseModel):
    points: list[Point]
    corners: list[Point | None] = []
    name: str


def no_x(request) -> Shape:
    return Shape.model_construct(points=[Point(x=1), Point.model_construct(x=None)], name="s")


def bad_x(request) -> list[Shape]:
    return [Shape.model_construct(points=[Point.model_construct(x="abc")], name="t")]


def null_name(request) -> Shape | None:
    return Shape.model_construct(points=[], corners=[None, Point(x=2)], name=None)


def not_a_list(request) -> Shape:
    return Shape.model_construct(points=Point(x=3), name="u")


@compiles
@pytest.mark.parametrize(
    "query",
    [
        "{ noX { name points { x label } } }",
        "{ noX { points { label } } ok: nullName { name } }",
        "{ badX { name points { x } } }",
        "{ nullName { corners { x } } notAList { points { x } } }",
        "{ nullName { corners { x } name } }",
        "{ notAList { points { x } } }",
        "{ a: nullName { corners { x } } b: nullName { __typename name } c: noX { name } }",
    ],
)
async def test_unchecked_values_complete_as_in_graphql_core(caplog, query):
    caplog.set_level(logging.CRITICAL, logger="mizan_gql")
    with use_registry():
        for function in (no_x, bad_x, null_name, not_a_list):
            client(function)
        graphql_core, compiled_answer, compiled = await both_paths(query, {})
    assert compiled is not None
    assert compiled_answer == graphql_core
    assert graphql_core[1]["errors"]  # each of these queries has an error to report


async def test_what_does_not_compile_runs_with_graphql_core():
    for query in (
        '{ echo(text: "a") @include(if: true) { message } }',
        '{ echo(text: "a") { ...F } } fragment F on Output { message }',
        "{ authors { name } }",  # a strawberry-django type
        '{ __typename echo(text: "a") { message } }',
    ):
        graphql_core, compiled_answer, compiled = await both_paths(query, {})
        assert compiled is None, query
        assert compiled_answer == graphql_core and "errors" not in graphql_core[1]


@pytest.mark.skipif(not GRAPHQL_CORE_32, reason="graphql-core 3.3 compiles this query")
async def test_on_graphql_core_3_2_every_query_runs_with_graphql_core():
    graphql_core, prepared_answer, compiled = await both_paths(
        '{ echo(text: "a") { message } }', {}
    )
    assert compiled is None
    assert prepared_answer == graphql_core == (200, {"data": {"echo": {"message": "a"}}})
