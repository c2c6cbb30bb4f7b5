"""The context cache around each context function's call (a ``fields`` call wrapper).

Private entries are keyed by the signed-in user's id (one shared entry for anonymous
requests), public entries by parameters only, ``cache="none"`` is never cached. Mutations
with ``invalidates=[...]`` invalidate after they succeed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ..registry.entry import ClientFunction
from ..signals import context_computed, context_read
from .flight import single_flight
from .invalidation import ainvalidate, context_params, invalidation_source
from .keys import entry_key, lock_key, user_scope
from .policy import entry_ttl
from .reporting import scope_label
from .store import CacheUnavailable, aguarded, get_cache, lookup
from .store import store as store_entry

__all__ = ["Use", "cached_call", "is_cached_call", "recording_uses"]

# Bounded waits for single flight: another request (or process) computing the same entry.
FLIGHT_WAIT = 10.0
LOCK_TIMEOUT = 30
LOCK_POLL = (0.005, 0.1)  # first and longest pause between polls of the shared cache


@dataclass(frozen=True)
class Use:
    """A context function that ran in the current operation (for response headers)."""

    context: str
    cache: str
    ttl: int
    params: tuple[tuple[str, Any], ...]


_uses: ContextVar[list[Use] | None] = ContextVar("mizan_context_uses", default=None)


class recording_uses:  # noqa: N801  (a context manager, named like one)
    """``with recording_uses() as uses:`` - the context fields an operation reads."""

    __slots__ = ("token",)

    def __enter__(self) -> list[Use]:
        uses: list[Use] = []
        self.token = _uses.set(uses)
        return uses

    def __exit__(self, *exc_info: object) -> None:
        try:
            _uses.reset(self.token)
        except ValueError:  # resumed in another context (a generator hook moved tasks)
            _uses.set(None)


def is_cached_call(entry: ClientFunction) -> bool:
    """Whether :func:`cached_call` has anything to do for ``entry``'s calls."""
    if entry.is_mutation:
        return bool(entry.options.invalidates)
    return entry.context_name is not None


async def cached_call(
    entry: ClientFunction,
    request: Any,
    values: dict[str, Any],
    call: Callable[[], Awaitable[Any]],
) -> Any:
    if entry.options.invalidates and entry.is_mutation:
        result = await call()
        await _invalidate_after(entry, values)
        return result
    context = entry.context_name
    if context is None or entry.is_mutation:
        return await call()
    cache, ttl = entry.options.cache, entry_ttl(entry)
    uses = _uses.get()
    if uses is not None:
        uses.append(Use(context, cache, ttl, tuple(sorted(values.items()))))
    if cache == "none" or ttl <= 0:
        return await call()
    scope = ["public"] if cache == "public" else user_scope(request)
    try:
        key = entry_key(context, entry.name, scope, values)
        found = await aguarded("reading an entry", lambda: lookup(context, values, key))
    except TypeError:  # a parameter value that has no canonical form: do not cache
        return await call()
    except CacheUnavailable:
        return await call()
    if context_read.receivers:
        _report_read(entry, values, scope, ttl, found.hit, found.expires)
    if found.hit:
        return found.value
    version = found.version
    if context_computed.receivers:
        call = _timed(entry, values, call)

    async def compute() -> Any:
        return await _compute_once_across_processes(key, version, ttl, context, values, call)

    return await single_flight(f"{key}:{version}", compute, FLIGHT_WAIT)


async def _compute_once_across_processes(
    key: str,
    version: str,
    ttl: int,
    context: str,
    values: dict[str, Any],
    call: Callable[[], Awaitable[Any]],
) -> Any:
    lock = lock_key(key, version)
    try:
        owner = await aguarded(
            "locking an entry",
            lambda: get_cache().add(lock, 1, timeout=LOCK_TIMEOUT),
        )
    except CacheUnavailable:
        return await call()
    if not owner:
        # Another process computes this entry: wait for it (bounded), then compute anyway.
        deadline = time.monotonic() + FLIGHT_WAIT
        pause = LOCK_POLL[0]
        while time.monotonic() < deadline:
            await asyncio.sleep(pause)
            pause = min(pause * 2, LOCK_POLL[1])
            try:
                found = await aguarded("reading an entry", lambda: lookup(context, values, key))
            except CacheUnavailable:
                break
            if found.hit:
                return found.value
            if found.version != version:
                break  # invalidated meanwhile: our value would be stale anyway
        return await call()
    try:
        value = await call()
        try:
            await aguarded("storing an entry", lambda: store_entry(key, version, value, ttl))
        except CacheUnavailable:
            pass
        return value
    finally:
        try:
            await aguarded("unlocking an entry", lambda: get_cache().delete(lock))
        except CacheUnavailable:
            pass


async def _invalidate_after(entry: ClientFunction, values: dict[str, Any]) -> None:
    with invalidation_source(f"mutation {entry.name}"):
        for context in entry.options.invalidates:
            declared = context_params(context) or {}
            params = {name: values[name] for name in declared if values.get(name) is not None}
            await ainvalidate(context, **params)


def _report_read(
    entry: ClientFunction,
    values: dict[str, Any],
    scope: list[Any],
    ttl: int,
    hit: bool,
    expires: float | None,
) -> None:
    context_read.send(
        None,
        context=entry.context_name,
        function=entry.name,
        params=values,
        scope=scope_label(scope),
        hit=hit,
        ttl=ttl,
        ttl_left=None if expires is None else max(0.0, expires - time.time()),
        source="field",
    )


def _timed(
    entry: ClientFunction, values: dict[str, Any], call: Callable[[], Awaitable[Any]]
) -> Callable[[], Awaitable[Any]]:
    """``call``, reporting each run to :data:`~mizan_gql.signals.context_computed`."""

    async def timed() -> Any:
        start = time.perf_counter()
        value = await call()
        context_computed.send(
            None,
            context=entry.context_name,
            function=entry.name,
            params=values,
            duration=time.perf_counter() - start,
        )
        return value

    return timed
