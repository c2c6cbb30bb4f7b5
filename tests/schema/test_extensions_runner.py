"""FastExtensionsRunner runs a stream's per-result hooks and gathers extension results as
Strawberry's SchemaExtensionsRunner does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner

from mizan_gql.schema.engine.runner import FastExtensionsRunner

EVENTS: list[str] = []


class Before(SchemaExtension):
    def on_stream_result(self, result: Any) -> Iterator[None]:  # type: ignore[override]
        EVENTS.append(f"before sees {result['n']}")
        result["seen"] = True
        yield

    def get_results(self) -> dict[str, Any]:
        return {"before": 1}


class Around(SchemaExtension):
    def on_stream_result(self, result: Any) -> Iterator[None]:  # type: ignore[override]
        EVENTS.append("around enters")
        try:
            yield
        finally:
            EVENTS.append("around leaves")


class After(SchemaExtension):
    def on_stream_result(self, result: Any) -> Iterator[None]:  # type: ignore[override]
        yield
        EVENTS.append(f"after sees {result['n']}")

    async def get_results(self) -> dict[str, Any]:  # type: ignore[override]
        return {"after": 2}


class Plain(SchemaExtension):
    def on_stream_result(self, result: Any) -> None:  # type: ignore[override]
        EVENTS.append("plain called")


class Async(SchemaExtension):
    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:  # type: ignore[override]
        EVENTS.append("async enters")
        yield
        EVENTS.append("async leaves")


class Nothing(SchemaExtension):
    """Implements no hook and keeps the default get_results."""


def runners(classes: list[type[SchemaExtension]]) -> list[SchemaExtensionsRunner]:
    context = SimpleNamespace(extensions_results={"ctx": 3})
    return [
        cls(execution_context=context, extensions=[c() for c in classes])  # type: ignore[arg-type]
        for cls in (SchemaExtensionsRunner, FastExtensionsRunner)
    ]


async def stream_one(runner: SchemaExtensionsRunner, fails: bool) -> list[str]:
    EVENTS.clear()
    result = {"n": 7}
    try:
        async with runner.on_stream_result(result):  # type: ignore[arg-type]
            EVENTS.append("sent")
            if fails:
                raise ValueError("the send failed")
    except ValueError:
        EVENTS.append("failed")
    EVENTS.append(f"seen={result.get('seen', False)}")
    return list(EVENTS)


SETS = [
    [Before, Around, After],
    [After, Before],
    [Before, Plain, After],
    [Async, Before, After],
    [Nothing],
]


@pytest.mark.parametrize("classes", SETS, ids=lambda s: "-".join(c.__name__ for c in s))
@pytest.mark.parametrize("fails", [False, True])
async def test_per_result_hooks_run_as_strawberry_runs_them(classes, fails):
    strawberry, fast = runners(classes)
    assert await stream_one(fast, fails) == await stream_one(strawberry, fails)


@pytest.mark.parametrize("classes", SETS, ids=lambda s: "-".join(c.__name__ for c in s))
async def test_extension_results_are_strawberrys(classes):
    strawberry, fast = runners(classes)
    expected = await strawberry.get_extensions_results(strawberry.execution_context)
    assert await fast.get_extensions_results(fast.execution_context) == expected
    assert await fast.get_extensions_results(fast.execution_context) == expected  # cached
