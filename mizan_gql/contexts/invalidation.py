"""``invalidate(context, **params)``: drop cached entries, tell the response and the clients.

An invalidation (1) replaces the version tokens the matching entries depend on, (2) is
recorded for the current request, which answers it in ``X-Mizan-Invalidate`` and in
``extensions.mizan.invalidate``, and (3) is published on the Channels layer, group
``mizan.invalidations``, for the ``mizanInvalidations`` subscription.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any
from weakref import WeakKeyDictionary

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from pydantic import TypeAdapter, ValidationError

from ..constants import INVALIDATION_EVENT, INVALIDATIONS_GROUP
from ..invalidation_header import MAX_ENTRY, Invalidation, is_too_long, whole_context
from ..registry.core import Registry, get_registry
from ..signals import context_invalidated
from .keys import PREFIX, digest
from .policy import context_policy
from .store import CacheUnavailable, aguarded, bump, current_version, guarded

__all__ = [
    "GROUP",
    "ainvalidate",
    "acontext_version",
    "collecting",
    "context_version",
    "invalidate",
    "invalidation_source",
    "normalized",
]

logger = logging.getLogger("mizan_gql.contexts")

GROUP = INVALIDATIONS_GROUP
# A layer that does not answer (Redis unreachable) must not hold the request for long.
PUBLISH_TIMEOUT = 5.0

_collected: ContextVar[list[Invalidation] | None] = ContextVar("mizan_invalidations", default=None)
_background_tasks: set[asyncio.Task[None]] = set()


class collecting:  # noqa: N801  (a context manager, named like one)
    """Record the invalidations made inside the block (nested blocks report to outer ones).

    ``with collecting() as entries:`` - a class rather than a generator: it runs around
    every GraphQL operation, where a generator-based context manager costs more.
    """

    __slots__ = ("entries", "outer", "token")

    def __enter__(self) -> list[Invalidation]:
        self.outer = _collected.get()
        self.entries: list[Invalidation] = []
        self.token = _collected.set(self.entries)
        return self.entries

    def __exit__(self, *exc_info: object) -> None:
        try:
            _collected.reset(self.token)
        except ValueError:  # resumed in another context (a generator hook moved tasks)
            _collected.set(self.outer)
        if self.outer is not None:
            self.outer.extend(self.entries)


_source: ContextVar[str | None] = ContextVar("mizan_invalidation_source", default=None)


class invalidation_source:  # noqa: N801  (a context manager, named like one)
    """``with invalidation_source("admin alice"):`` - who the invalidations inside the block
    come from, as :data:`~mizan_gql.signals.context_invalidated` reports it (by default,
    the function that called ``invalidate()``)."""

    __slots__ = ("source", "token")

    def __init__(self, source: str) -> None:
        self.source = source

    def __enter__(self) -> None:
        self.token = _source.set(self.source)

    def __exit__(self, *exc_info: object) -> None:
        try:
            _source.reset(self.token)
        except ValueError:  # resumed in another context
            _source.set(None)


def _caller() -> object:
    """The frame that called the caller of this function (None where frames are hidden)."""
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    return caller.f_back if caller is not None else None


def _report(entry: Invalidation, caller: object) -> None:
    source = _source.get()
    if source is None:
        code = getattr(caller, "f_code", None)
        module = getattr(caller, "f_globals", {}).get("__name__", "?")
        source = f"code {module}.{code.co_qualname if code else '?'}"
    context_invalidated.send(None, invalidation=entry, source=source)


_declared_cache: WeakKeyDictionary[Registry, dict[str, dict[str, TypeAdapter[Any]] | None]] = (
    WeakKeyDictionary()
)


def context_params(context: str) -> dict[str, TypeAdapter[Any]] | None:
    """Parameter name -> validator of a registered context, or None if it is unknown."""
    registry = get_registry()
    memo = _declared_cache.setdefault(registry, {})
    if registry.frozen and context in memo:
        return memo[context]
    entries = registry.contexts().get(context)
    declared = {p.name: TypeAdapter(p.annotation) for p in entries[0].params} if entries else None
    if registry.frozen:  # the registry cannot change any more: remember the answer
        memo[context] = declared
    return declared


def _normalize(context: str, params: Mapping[str, Any]) -> tuple[Invalidation, list[str]]:
    declared = context_params(context)
    values = dict(params)
    if declared is not None:
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise ValueError(
                f"invalidate({context!r}, ...): context {context!r} has no parameter "
                f"{', '.join(unknown)}; its parameters are: {', '.join(declared) or 'none'}."
            )
        for name, value in values.items():
            # Coerce like the GraphQL arguments are ("5" -> 5 for an int parameter), so the
            # keys match the entries the resolvers stored.
            try:
                values[name] = declared[name].validate_python(value)
            except ValidationError as exc:
                raise ValueError(
                    f"invalidate({context!r}, {name}={value!r}): not a valid value ({exc})."
                ) from None
    entry = Invalidation(context, values)
    if is_too_long(entry):
        _warn_too_long(context)
        entry, values = whole_context(entry), {}
    if not values:
        keys = [f"{PREFIX}:g:{digest(context)}"]
    elif declared is not None and set(values) == set(declared):
        keys = [f"{PREFIX}:s:{digest(context, values)}"]
    else:
        keys = [f"{PREFIX}:p:{digest(context, name, values[name])}" for name in sorted(values)]
    return entry, keys


def normalized(context: str, params: Mapping[str, Any]) -> Invalidation:
    """The entry ``invalidate(context, **params)`` would send (values coerced to the
    parameters' types); raises ``ValueError`` as it would."""
    return _normalize(context, params)[0]


_warned_too_long: set[str] = set()


def _warn_too_long(context: str) -> None:
    if context not in _warned_too_long:  # once per context and process
        _warned_too_long.add(context)
        logger.warning(
            "An invalidation of the context %r names parameters longer than %d bytes once "
            "encoded; the whole context is invalidated instead (and so it will be each time).",
            context,
            MAX_ENTRY,
        )


def invalidate(context: str, **params: Any) -> Invalidation:
    """Drop the cached entries of ``context`` (all of them, or those with ``params``).

    Usable from server functions, views, signals and background code::

        invalidate("user", user_id=5)   # entries of user 5 (any other parameter)
        invalidate("user")              # every entry of the context

    Entries computed while this runs are never served afterwards. A cache backend that is
    down is logged, not raised. In async code prefer ``await ainvalidate(...)``.
    """
    entry, keys = _normalize(context, params)
    try:
        guarded("invalidating", lambda: bump(keys))
    except CacheUnavailable:
        pass
    if context_invalidated.receivers:
        _report(entry, _caller())
    _record(entry)
    _publish_from_sync(entry)
    return entry


async def ainvalidate(context: str, **params: Any) -> Invalidation:
    """The async form of :func:`invalidate`."""
    entry, keys = _normalize(context, params)
    try:
        await aguarded("invalidating", lambda: bump(keys))
    except CacheUnavailable:
        pass
    if context_invalidated.receivers:
        _report(entry, _caller())
    _record(entry)
    await publish(entry)
    return entry


def _record(entry: Invalidation) -> None:
    entries = _collected.get()
    if entries is not None and entry not in entries:
        entries.append(entry)


async def publish(entry: Invalidation) -> None:
    """Send the invalidation to ``mizan.invalidations``; a failing layer is only logged."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        # The cache policy goes with the entry: the stream decides from it who may hear of
        # it (mizan_gql.channels.invalidations).
        event = {**entry.as_event(), "cache": context_policy(entry.context).cache}
        message = {"type": INVALIDATION_EVENT, "entries": [event]}
        await asyncio.wait_for(layer.group_send(GROUP, message), PUBLISH_TIMEOUT)
    except Exception:
        logger.warning(
            "Could not publish the invalidation %s on the channel layer", entry, exc_info=True
        )


def _publish_from_sync(entry: Invalidation) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is None:
        try:
            async_to_sync(publish)(entry)
        except Exception:
            logger.warning("Could not publish the invalidation %s", entry, exc_info=True)
        return
    # Called synchronously from inside an event loop: publish in the background.
    task = loop.create_task(publish(entry))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


def context_version(context: str, params: Mapping[str, Any]) -> str:
    """A token that changes whenever an invalidation touches ``context`` with ``params``.

    Whole-context invalidations and invalidations naming a subset of ``params`` count.
    Raises :class:`~mizan_gql.contexts.CacheUnavailable` when the cache is down
    (callers then skip their own caching).
    """
    return guarded(
        "reading a context version",
        lambda: current_version(context, _coerced(context, params)),
    )


async def acontext_version(context: str, params: Mapping[str, Any]) -> str:
    """The async form of :func:`context_version`."""
    coerced = _coerced(context, params)
    return await aguarded("reading a context version", lambda: current_version(context, coerced))


def _coerced(context: str, params: Mapping[str, Any]) -> dict[str, Any]:
    return dict(_normalize(context, params)[0].params)
