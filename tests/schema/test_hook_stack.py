"""HookStack (prepared queries) leaves extension hooks exactly as Strawberry's stages do:
``contextlib.contextmanager`` hooks on an ``ExitStack`` whose result is ignored."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from functools import partial

import pytest

from mizan_gql.schema.engine.hooks import HookStack, hook_shape

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


def with_exit_stack(
    hooks: list[Callable[[], Iterator[None]]], fails: bool, events: list[str]
) -> None:
    """Strawberry's way: each hook a ``contextmanager`` on an ``ExitStack``."""
    stack = contextlib.ExitStack()
    stack.__enter__()
    for one in hooks:
        stack.enter_context(contextlib.contextmanager(one)())
    try:
        body(fails, events)
    except BaseException as exc:
        stack.__exit__(type(exc), exc, exc.__traceback__)
        raise
    stack.__exit__(None, None, None)


def with_hook_stack(enter: Callable[[HookStack], None], fails: bool, events: list[str]) -> None:
    stack = HookStack()
    enter(stack)
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
    expected_outcome = outcome(
        lambda: with_exit_stack(
            [hook(b, str(i), expected) for i, b in enumerate(behaviours)], fails, expected
        )
    )

    def enter(stack: HookStack) -> None:
        for index, behaviour in enumerate(behaviours):
            stack.enter(hook(behaviour, str(index), got)())

    assert outcome(lambda: with_hook_stack(enter, fails, got)) == expected_outcome
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


# Hooks with work on one side of their yield only, as extensions write them: each takes
# the extension (here a list of events) as its only argument.


def before_only(events: list[str]) -> Iterator[None]:
    """A docstring is not a statement of the hook."""
    events.append("before_only runs")
    yield


def after_only(events: list[str]) -> Iterator[None]:
    yield
    events.append("after_only runs")


def after_that_raises(events: list[str]) -> Iterator[None]:
    yield
    events.append("after_that_raises runs")
    raise KeyError("after_that_raises")


def around(events: list[str]) -> Iterator[None]:
    events.append("around enters")
    try:
        yield
    except Exception as exc:
        events.append(f"around ends {exc!r}")
    events.append("around leaves")


def yield_in_a_with(events: list[str]) -> Iterator[None]:
    with contextlib.suppress(KeyError):
        yield


def yields_a_value(events: list[str]) -> Iterator[None]:
    events.append("yields_a_value runs")
    yield None  # type: ignore[misc]


SHAPED = {before_only: "before", after_only: "after", after_that_raises: "after", around: "around"}


def test_hook_shapes_are_read_from_the_source():
    for shaped_hook, shape in SHAPED.items():
        assert hook_shape(shaped_hook) == shape, shaped_hook.__name__
    assert hook_shape(yield_in_a_with) == "around"  # its yield is inside a with block
    assert hook_shape(yields_a_value) == "around"  # not a bare yield
    assert hook_shape(hook("pass", "0", [])) == "around"  # two yields in its code
    assert hook_shape(eval("lambda events: (yield)")) == "around"  # no source to read


def test_one_sided_hooks_keep_no_generator():
    events: list[str] = []
    stack = HookStack()
    stack.enter_hook(before_only, events)
    stack.enter_hook(after_only, events)
    assert events == ["before_only runs"]  # the after hook has not started
    assert stack.entered == [(after_only, events, ())]  # nothing suspended
    stack.leave()
    assert events == ["before_only runs", "after_only runs"]


SHAPED_CASES = [
    (hooks, fails)
    for size in (1, 2, 3)
    for hooks in itertools.product(SHAPED, repeat=size)
    for fails in (False, True)
]


@pytest.mark.parametrize(
    ("hooks", "fails"),
    SHAPED_CASES,
    ids=lambda v: "-".join(h.__name__ for h in v) if isinstance(v, tuple) else str(v),
)
def test_one_sided_hooks_run_as_strawberry_runs_them(hooks, fails):
    expected: list[str] = []
    got: list[str] = []
    expected_outcome = outcome(
        lambda: with_exit_stack([partial(one, expected) for one in hooks], fails, expected)
    )

    def enter(stack: HookStack) -> None:
        for one in hooks:
            stack.enter_hook(one, got)

    assert outcome(lambda: with_hook_stack(enter, fails, got)) == expected_outcome
    assert got == expected
