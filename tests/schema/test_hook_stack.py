"""HookStack (prepared queries) leaves extension hooks exactly as Strawberry's stages do:
``contextlib.contextmanager`` hooks on an ``ExitStack`` whose result is ignored."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator

import pytest

from mizan_gql.schema.engine.hooks import HookStack

# How a hook behaves when it is left.
BEHAVIOURS = ("pass", "suppress", "replace", "raise on exit", "log")


def hook(behaviour: str, name: str, events: list[str]) -> Callable[[], Iterator[None]]:
    def generator() -> Iterator[None]:
        events.append(f"enter {name}")
        if behaviour == "suppress":
            try:
                yield
            except Exception as exc:
                events.append(f"{name} ends {exc!r}")
        elif behaviour == "replace":
            try:
                yield
            except Exception as exc:
                raise ValueError(f"{name} replaced {exc}") from exc
        elif behaviour == "raise on exit":
            yield
            raise KeyError(name)
        elif behaviour == "log":
            try:
                yield
            finally:
                events.append(f"leave {name}")
        else:
            yield
        events.append(f"after {name}")

    return generator


def outcome(run: Callable[[], None]) -> str:
    try:
        run()
    except BaseException as exc:  # noqa: BLE001
        return repr(exc)
    return "no error"


def body(fails: bool, events: list[str]) -> None:
    events.append("body")
    if fails:
        raise RuntimeError("body failed")


def with_exit_stack(behaviours: tuple[str, ...], fails: bool, events: list[str]) -> None:
    stack = contextlib.ExitStack()
    stack.__enter__()
    for index, behaviour in enumerate(behaviours):
        stack.enter_context(contextlib.contextmanager(hook(behaviour, str(index), events))())
    try:
        body(fails, events)
    except BaseException as exc:
        stack.__exit__(type(exc), exc, exc.__traceback__)
        raise
    stack.__exit__(None, None, None)


def with_hook_stack(behaviours: tuple[str, ...], fails: bool, events: list[str]) -> None:
    stack = HookStack()
    for index, behaviour in enumerate(behaviours):
        stack.enter(hook(behaviour, str(index), events)())
    try:
        body(fails, events)
    except BaseException as exc:
        stack.leave(exc)
        raise
    stack.leave()


CASES = [
    (behaviours, fails)
    for size in (1, 2, 3)
    for behaviours in itertools.product(BEHAVIOURS, repeat=size)
    for fails in (False, True)
]


@pytest.mark.parametrize(("behaviours", "fails"), CASES)
def test_hooks_are_left_as_strawberry_leaves_them(behaviours, fails):
    expected: list[str] = []
    got: list[str] = []
    expected_outcome = outcome(lambda: with_exit_stack(behaviours, fails, expected))
    assert outcome(lambda: with_hook_stack(behaviours, fails, got)) == expected_outcome
    assert got == expected


def test_a_hook_that_does_not_yield_is_an_error():
    def empty() -> Iterator[None]:
        return
        yield

    with pytest.raises(RuntimeError, match="didn't yield"):
        HookStack().enter(empty())


def test_a_hook_that_yields_twice_is_an_error():
    def twice() -> Iterator[None]:
        yield
        yield

    stack = HookStack()
    stack.enter(twice())
    with pytest.raises(RuntimeError, match="didn't stop"):
        stack.leave()
