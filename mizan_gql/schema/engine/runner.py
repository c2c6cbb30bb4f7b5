"""Strawberry's extension runner, without its per-request introspection.

For every operation Strawberry asks each extension instance, for each lifecycle stage,
whether its class overrides the hook, inspects the hook (``inspect.isgeneratorfunction``)
and wraps it in a freshly decorated ``contextlib.contextmanager`` (``functools.wraps``
included). With mizan's ten extensions that is ~50 lookups and ~15 decorations per
request for answers that only depend on the extension's class.

Here the answer is computed once per (class, stage) and each request only binds the
instance: ``contextmanager(hook)(extension)`` runs exactly the code Strawberry's
``contextmanager(MethodType(hook, extension))()`` runs. Hooks Strawberry builds from
plain callables (not generators) go through Strawberry's own code unchanged. When every
hook of a stage is synchronous, the async form of the stage uses a plain ``ExitStack``,
which unwinds (exceptions, suppression) exactly like ``AsyncExitStack`` does for
synchronous context managers; when every hook is a generator function, a
:class:`~mizan_gql.schema.engine.hooks.HookStack` drives the generators with the same order
and exception flow. A subscription holds its operation stage open for its whole life: the
stage then keeps one list of generators instead of a context manager, a bound partial and
a wrapper per hook and an exit stack.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any, cast

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import (
    ExecutingContextManager,
    ExtensionContextManagerBase,
    OperationContextManager,
    ParsingContextManager,
    StreamResultContextManager,
    ValidationContextManager,
    WrappedHook,
)  # internals of these classes are in private.PRIVATE_NAMES
from strawberry.extensions.runner import SchemaExtensionsRunner

from .hooks import Hook, HookStack

__all__ = ["FastExtensionsRunner"]

# One step per extension implementing a hook: (index of the extension, context manager
# factory, is_async, the generator function of a synchronous generator hook); a factory
# of None lets Strawberry wrap the hook (plain callables).
_Step = tuple[int, Callable[..., Any] | None, bool, Hook | None]
_StageHooks = tuple[tuple[_Step, ...], bool]
_stage_hooks: dict[tuple[str, tuple[type, ...]], _StageHooks] = {}
_lock = threading.Lock()


def _step(index: int, cls: type, hook_name: str) -> _Step | None:
    hook_fn = getattr(cls, hook_name)
    if hook_fn is getattr(SchemaExtension, hook_name):
        return None
    if inspect.isgeneratorfunction(hook_fn):
        return (index, contextlib.contextmanager(hook_fn), False, hook_fn)
    if inspect.isasyncgenfunction(hook_fn):
        return (index, contextlib.asynccontextmanager(hook_fn), True, None)
    return (index, None, False, None)  # plain callables (or mistakes): Strawberry's own handling


def _hooks_of(hook_name: str, classes: tuple[type, ...]) -> _StageHooks:
    """The steps of a hook for these extension classes and whether all are synchronous."""
    key = (hook_name, classes)
    found = _stage_hooks.get(key)
    if found is None:
        steps = tuple(
            step
            for index, cls in enumerate(classes)
            if (step := _step(index, cls, hook_name)) is not None
        )
        found = (steps, not any(is_async for _, _, is_async, _ in steps))
        with _lock:
            if len(_stage_hooks) >= 256:  # extension lists built per request: stay bounded
                _stage_hooks.clear()
            _stage_hooks[key] = found
    return found


class _CachedHooks(ExtensionContextManagerBase):
    def __init__(self, extensions: list[SchemaExtension]) -> None:
        self.default_hook = getattr(SchemaExtension, self.HOOK_NAME)
        steps, self._all_sync = _hooks_of(self.HOOK_NAME, tuple(map(type, extensions)))
        self._stack: HookStack | None = None
        self._generators_only = all(generator is not None for *_, generator in steps)
        if self._generators_only:  # entered from the shared steps (no per-hook objects)
            self._extensions, self._steps = extensions, steps
            self.hooks = []
            return
        hooks: list[WrappedHook] = []
        for index, factory, is_async, _ in steps:
            extension = extensions[index]
            if factory is None:  # a plain callable: Strawberry wraps it (and may refuse it)
                hook = super().get_hook(extension)
                if hook is not None:
                    hooks.append(hook)
                    if hook.is_async:
                        self._all_sync = False
            else:
                hooks.append(WrappedHook(extension, partial(factory, extension), is_async))
        self.hooks = hooks

    def __enter__(self) -> None:
        if not self._generators_only:
            super().__enter__()
            return
        self._stack = stack = HookStack()
        extensions, args = self._extensions, self._hook_args()
        for index, _, _, generator in self._steps:
            stack.enter_hook(cast(Hook, generator), extensions[index], *args)

    def _hook_args(self) -> tuple[Any, ...]:
        """What the stage's hooks are called with besides their extension."""
        return ()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        # Like Strawberry's, the body's exception is never suppressed.
        if self._stack is None:
            super().__exit__(exc_type, exc_val, exc_tb)
            return
        stack, self._stack = self._stack, None
        stack.leave(exc_val)

    async def __aenter__(self) -> None:
        if self._all_sync:
            self.__enter__()
        else:
            await super().__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if self._all_sync:
            self.__exit__(exc_type, exc_val, exc_tb)
        else:
            await super().__aexit__(exc_type, exc_val, exc_tb)


class _Operation(_CachedHooks, OperationContextManager):
    __slots__ = ()


class _Validation(_CachedHooks, ValidationContextManager):
    __slots__ = ()


class _Parsing(_CachedHooks, ParsingContextManager):
    __slots__ = ()


class _Executing(_CachedHooks, ExecutingContextManager):
    __slots__ = ()


class _StreamResult(_CachedHooks, StreamResultContextManager):
    """``on_stream_result``: entered for every result a stream sends (every broadcast, for
    every subscriber), its hooks called with the result."""

    __slots__ = ()

    def __init__(self, extensions: list[SchemaExtension], result: Any) -> None:
        self.result = result
        _CachedHooks.__init__(self, extensions)

    def _hook_args(self) -> tuple[Any, ...]:
        return (self.result,)


def _results_of(classes: tuple[type[SchemaExtension], ...]) -> tuple[int, ...]:
    """Indices of the extension classes overriding ``get_results`` (the others add {})."""
    default = SchemaExtension.get_results
    return tuple(i for i, cls in enumerate(classes) if cls.get_results is not default)


class FastExtensionsRunner(SchemaExtensionsRunner):
    """:class:`SchemaExtensionsRunner` with hooks resolved once per extension class."""

    _with_results: tuple[int, ...] | None = None

    def operation(self) -> OperationContextManager:
        return _Operation(self.extensions)

    def validation(self) -> ValidationContextManager:
        return _Validation(self.extensions)

    def parsing(self) -> ParsingContextManager:
        return _Parsing(self.extensions)

    def executing(self) -> ExecutingContextManager:
        return _Executing(self.extensions)

    def on_stream_result(self, result: Any) -> StreamResultContextManager:
        return _StreamResult(self.extensions, result)

    async def get_extensions_results(self, ctx: Any) -> dict[str, Any]:
        # Strawberry's, asking only the extensions that override get_results (a stream
        # asks for every result it sends).
        indices = self._with_results
        if indices is None:
            indices = self._with_results = _results_of(tuple(map(type, self.extensions)))
        data: dict[str, Any] = {}
        for index in indices:
            results = self.extensions[index].get_results()
            if inspect.isawaitable(results):
                results = await results
            data.update(results)
        data.update(ctx.extensions_results)
        return data
