"""Synchronous generator hooks of schema extensions, run without contextlib's machinery.

Strawberry enters an extension's ``on_operation`` / ``on_execute`` generator as a
``contextlib.contextmanager`` on a ``contextlib.ExitStack``. For a prepared query, whose
whole execution costs a few tens of microseconds, building those objects is a good part
of the cost. :class:`HookStack` drives the generators directly, with the same order and the
same exception flow: hooks are left last first; an exception is thrown into each hook in
turn, a hook may end it (the next hooks then leave normally) or raise another one in its
place; and, as in Strawberry's stages, the ``with`` body's exception always propagates,
while an exception a hook raises anew replaces it (unless an earlier hook ends that one).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import Any

from strawberry.extensions import SchemaExtension

__all__ = ["HookStack", "generator_hook"]

Hook = Callable[[Any], Generator[None, None, None]]


def generator_hook(cls: type, name: str) -> Hook | None:
    """The generator function ``cls`` overrides ``name`` with, or None if it keeps the
    default; raises ``TypeError`` for a hook of another kind (async, plain function)."""
    hook = getattr(cls, name)
    if hook is getattr(SchemaExtension, name):
        return None
    if not inspect.isgeneratorfunction(hook):
        raise TypeError(f"{cls.__qualname__}.{name} is not a generator function")
    return hook  # type: ignore[no-any-return]


class HookStack:
    """The entered hooks of one stage; :meth:`leave` unwinds them."""

    __slots__ = ("entered",)

    def __init__(self) -> None:
        self.entered: list[Generator[None, None, None]] = []

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
            generator = self.entered.pop()
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
