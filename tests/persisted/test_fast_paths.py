"""What the per-request fast paths remember, and that remembering never changes an answer.

- Extension hooks are resolved once per extension class (mizan_gql.schema.runner): every
  kind of hook Strawberry accepts still runs, in order, with the request's state.
- A cached document's verdict belongs to the settings it was judged under.
- The context endpoint remembers what each query string means (per schema).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from django.test import override_settings
from strawberry.extensions import SchemaExtension

from mizan_gql.contexts import endpoint as context_view

from .conftest import body_of, codes

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS: list[str] = []


class Recorder(SchemaExtension):
    """One hook of each form Strawberry accepts: generator, async generator, plain
    function and coroutine function."""

    def on_operation(self) -> Iterator[None]:
        EVENTS.append(f"operation:start:{self.execution_context.operation_name}")
        yield
        result = self.execution_context.result
        EVENTS.append(f"operation:end:errors={bool(result and result.errors)}")

    async def on_parse(self) -> AsyncIterator[None]:  # type: ignore[override]
        EVENTS.append("parse:start")
        yield
        EVENTS.append(f"parse:end:{self.execution_context.graphql_document is not None}")

    def on_validate(self) -> None:  # type: ignore[override]
        EVENTS.append("validate")

    async def on_execute(self) -> None:  # type: ignore[override]
        EVENTS.append("execute")

    def get_results(self) -> dict[str, str]:
        return {"recorded": "yes"}


@pytest.fixture(autouse=True)
def clear_events():
    EVENTS.clear()
    yield
    EVENTS.clear()


def echo_document() -> str:
    return f"# {uuid.uuid4().hex}\nquery Echo($text: String!) {{ echo(text: $text) {{ message }} }}"


@override_settings(MIZAN={"SCHEMA_EXTENSIONS": [Recorder]})
async def test_every_kind_of_extension_hook_runs_in_order(gql):
    query = echo_document()
    for text in ("a", "b"):  # the second request reuses the resolved hooks
        EVENTS.clear()
        response = await gql.post(query, {"text": text})
        body = body_of(response)
        assert body["data"] == {"echo": {"message": text}}
        assert body["extensions"]["recorded"] == "yes"
        assert EVENTS == [
            "operation:start:None",
            "parse:start",
            "parse:end:True",
            "validate",
            "execute",
            "operation:end:errors=False",
        ]


@override_settings(MIZAN={"SCHEMA_EXTENSIONS": [Recorder]})
async def test_hooks_see_errors_and_failed_validation(gql):
    response = await gql.post("query { echo(text: 1) { nope } }")
    assert codes(response) == ["GRAPHQL_VALIDATION_FAILED"] * len(codes(response))
    assert codes(response)
    assert EVENTS[-1] == "operation:end:errors=True"
    assert "execute" not in EVENTS  # nothing ran after a failed validation


async def test_hooks_follow_the_settings_in_force(gql):
    with override_settings(MIZAN={"SCHEMA_EXTENSIONS": [Recorder]}):
        await gql.post(echo_document(), {"text": "x"})
    assert "execute" in EVENTS
    EVENTS.clear()
    response = await gql.post(echo_document(), {"text": "y"})  # schema rebuilt without it
    assert body_of(response)["data"] == {"echo": {"message": "y"}}
    assert "recorded" not in body_of(response).get("extensions", {})
    assert EVENTS == []


def tree_document(depth: int) -> str:
    return "query { pqTree(depth: 1) { " + "children { " * depth + "label" + " }" * (depth + 2)


async def test_a_cached_verdict_belongs_to_the_settings_it_was_judged_under(gql, graphql_work):
    query = tree_document(4)  # depth 6
    assert "errors" not in body_of(await gql.post(query))
    with override_settings(MIZAN={"MAX_DEPTH": 4}):
        for _ in range(2):  # refused, and stays refused
            response = await gql.post(query)
            assert "exceeds maximum operation depth" in response.content.decode()
            assert not body_of(response).get("data")
    assert "errors" not in body_of(await gql.post(query))  # judged again, under the defaults
    assert graphql_work["execute"] == 2


async def test_a_bad_query_string_stays_refused(gql, calls):
    for _ in range(3):
        response = await gql.get("/graphql/ctx/pq_user/?user_id=abc")
        assert response.status_code == 400
        assert codes(response) == ["BAD_USER_INPUT"]
        assert response["Cache-Control"] == "no-store"
    assert not calls


async def test_each_query_string_keeps_its_own_meaning(gql, calls, monkeypatch):
    monkeypatch.setattr(context_view, "MAX_PREPARED", 2)  # forgetting must not matter
    for _ in range(2):
        for user_id in (5, 6, 7):
            response = await gql.get(f"/graphql/ctx/pq_user/?user_id={user_id}")
            assert response.status_code == 200
            assert body_of(response)["data"]["pqProfile"]["userId"] == user_id
            assert response["Surrogate-Key"] == f"ctx:pq_user ctx:pq_user:user_id={user_id}"
    assert calls["pq_profile"] == 3  # the second round was served from stored bytes
