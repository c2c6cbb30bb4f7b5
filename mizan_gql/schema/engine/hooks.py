"""Synchronous generator hooks of schema extensions, run without contextlib's machinery.

Strawberry enters an extension's ``on_operation`` / ``on_execute`` generator as a
``contextlib.contextmanager`` on a ``contextlib.ExitStack``. For a prepared query, whose
whole execution costs a few tens of microseconds, building those objects is a good part
of the cost. :class:`HookStack` drives the generators directly, with the same order and the
same exception flow: hooks are left last first; an exception is thrown into each hook in
turn, a hook may end it (the next hooks then leave normally) or raise another one in its
place; and, as in Strawberry's stages, the ``with`` body's exception always propagates,
while an exception a hook raises anew replaces it (unless an earlier hook ends that one).

Most hooks do their work on one side of their ``yield`` only. :func:`hook_shape` reads a
hook's source once: a hook whose lone ``yield`` is its last statement ("before") runs to
it and is not kept, and one whose lone ``yield`` is its first statement ("after") is only
started when the stage is left normally (thrown the body's exception at its ``yield``, it
would raise it unchanged, as if it were not there). Either way it runs the same code at the
same point as a suspended generator would; a subscription holds its operation stage open
for hours, and so keeps a generator only for hooks with work on both sides.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Generator
from types import CodeType
from typing import Any, Literal

from strawberry.extensions import SchemaExtension

__all__ = ["HookStack", "generator_hook", "hook_shape"]

Hook = Callable[[Any], Generator[None, None, None]]
Shape = Literal["before", "after", "around"]
_shapes: dict[CodeType, Shape] = {}  # one entry per hook function: bounded by the code


def generator_hook(cls: type, name: str) -> Hook | None:
    """The generator function ``cls`` overrides ``name`` with, or None if it keeps the
    default; raises ``TypeError`` for a hook of another kind (async, plain function)."""
    hook = getattr(cls, name)
    if hook is getattr(SchemaExtension, name):
        return None
    if not inspect.isgeneratorfunction(hook):
        raise TypeError(f"{cls.__qualname__}.{name} is not a generator function")
    return hook  # type: ignore[no-any-return]


def hook_shape(hook: Callable[..., Any]) -> Shape:
    """Where a generator hook does its work: ``"before"`` its ``yield`` only (its lone
    ``yield`` is its last statement), ``"after"`` only (its first), or ``"around"`` (also
    when its source cannot be read)."""
    code: CodeType = hook.__code__
    shape = _shapes.get(code)
    if shape is None:
        shape = _shapes[code] = _read_shape(code)
    return shape


def _read_shape(code: CodeType) -> Shape:
    try:
        function = ast.parse(textwrap.dedent(inspect.getsource(code))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return "around"
    if (
        not isinstance(function, ast.FunctionDef)
        or function.name != code.co_name
        or function.decorator_list
    ):
        return "around"
    yields = [node for node in ast.walk(function) if isinstance(node, (ast.Yield, ast.YieldFrom))]
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    if len(yields) != 1 or not body:
        return "around"
    if _is_bare_yield(body[-1]):
        return "before"
    if _is_bare_yield(body[0]):
        return "after"
    return "around"


def _is_bare_yield(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Yield)
        and statement.value.value is None
    )


# An entered hook: a suspended generator, or a hook with its extension and arguments to
# start when the stage is left ("after" hooks).
_Entered = Generator[None, None, None] | tuple[Callable[..., Any], Any, tuple[Any, ...]]


class HookStack:
    """The entered hooks of one stage; :meth:`leave` unwinds them."""

    __slots__ = ("entered",)

    def __init__(self) -> None:
        self.entered: list[_Entered] = []

    def enter_hook(self, hook: Callable[..., Any], extension: Any, *args: Any) -> None:
        """Enter ``hook`` of ``extension`` (called with ``args``; see :func:`hook_shape`)."""
        shape = hook_shape(hook)
        if shape == "after":
            self.entered.append((hook, extension, args))
            return
        generator = hook(extension, *args)
        self.enter(generator)
        if shape == "before":
            self.entered.pop()
            generator.close()  # nothing follows its yield

    def enter(self, generator: Generator[None, None, None]) -> None:
        try:
            next(generator)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None
        self.entered.append(generator)

    def leave(self, exc: BaseException | None = None) -> None:
        """Leave every hook, last first, with ``exc`` (the body's exception, if any).

        Raises what a hook raised in place of ``exc`` (or of nothing); returns otherwise,
        and the caller lets ``exc`` propagate.
        """
        pending, replaced = exc, None
        while self.entered:
            entered = self.entered.pop()
            if isinstance(entered, tuple):
                if pending is not None:
                    continue  # at its yield it would raise ``pending`` as it is
                hook, extension, args = entered
                generator = hook(extension, *args)
                next(generator)  # to its yield, its first statement
            else:
                generator = entered
            try:
                if pending is None:
                    next(generator)
                else:
                    generator.throw(pending)
            except StopIteration as stop:
                if pending is not None and stop is not pending:
                    pending = replaced = None  # the hook ended the exception
                continue
            except BaseException as raised:  # noqa: BLE001  (handed on like ExitStack does)
                if raised is not pending:
                    pending = replaced = raised
                continue
            pending = replaced = RuntimeError("generator didn't stop")
        if replaced is not None:
            raise replaced
