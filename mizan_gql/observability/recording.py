"""What one request did, recorded for the Debug Toolbar panel.

The panel starts a :class:`Recording` when the toolbar instruments a request; the receivers
here add every signal of :mod:`mizan_gql.signals` sent while it runs (in the request's task
or in the threads its sync functions run in: context variables follow them). Server
functions are timed, and the SQL they run attributed to them, by the plugin's call wrapper
and a database execute wrapper, both idle unless a recording is on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

from ..registry.entry import ClientFunction
from ..signals import (
    context_computed,
    context_invalidated,
    context_read,
    edge_purged,
    operation_executed,
)

__all__ = [
    "Recording",
    "connect_recording",
    "record_function",
    "recording_possible",
    "start_recording",
    "stop_recording",
]


@dataclass
class Recording:
    """Rows of the panel, JSON-compatible (the toolbar stores them for its history)."""

    operations: list[dict[str, Any]] = field(default_factory=list)
    reads: list[dict[str, Any]] = field(default_factory=list)
    invalidations: list[dict[str, Any]] = field(default_factory=list)
    purges: list[dict[str, Any]] = field(default_factory=list)
    functions: list[dict[str, Any]] = field(default_factory=list)


_current: ContextVar[Recording | None] = ContextVar("mizan_recording", default=None)
_sql: ContextVar[list[dict[str, Any]] | None] = ContextVar("mizan_recording_sql", default=None)


def start_recording() -> tuple[Recording, Token[Recording | None]]:
    recording = Recording()
    return recording, _current.set(recording)


def stop_recording(token: Token[Recording | None]) -> None:
    try:
        _current.reset(token)
    except ValueError:  # left in another context than it was entered
        _current.set(None)


def recording_possible() -> bool:
    """Whether the panel can record here (DEBUG and the toolbar installed): server
    functions get the timing wrapper only then."""
    return bool(settings.DEBUG) and apps.is_installed("debug_toolbar")


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _on_read(sender: Any, **kw: Any) -> None:
    recording = _current.get()
    if recording is not None:
        recording.reads.append(
            {
                "context": kw["context"],
                "function": kw["function"],
                "params": _text(kw["params"]),
                "scope": kw["scope"],
                "hit": kw["hit"],
                "ttl": kw["ttl"],
                "ttl_left": None if kw["ttl_left"] is None else round(kw["ttl_left"]),
                "compute_ms": None,
                "source": kw["source"],
            }
        )


def _on_computed(sender: Any, **kw: Any) -> None:
    recording = _current.get()
    if recording is None:
        return
    params = _text(kw["params"])
    for read in reversed(recording.reads):  # the miss this computation fills
        if (read["context"], read["function"], read["params"]) == (
            kw["context"],
            kw["function"],
            params,
        ) and read["compute_ms"] is None:
            read["compute_ms"] = _ms(kw["duration"])
            return


def _on_invalidated(sender: Any, **kw: Any) -> None:
    recording = _current.get()
    if recording is not None:
        recording.invalidations.append({"entry": str(kw["invalidation"]), "source": kw["source"]})


def _on_purged(sender: Any, **kw: Any) -> None:
    recording = _current.get()
    if recording is not None:
        resolution = kw["resolution"]
        recording.purges.append(
            {
                "purger": kw["purger"],
                "outcome": kw["outcome"],
                "urls": list(resolution.urls),
                "tags": list(resolution.tags),
                "prefixes": list(resolution.prefixes),
            }
        )


def _on_operation(sender: Any, **kw: Any) -> None:
    recording = _current.get()
    if recording is not None:
        recording.operations.append(
            {
                "name": kw["name"],
                "type": kw["operation_type"],
                "path": kw["path"],
                "persisted": kw["persisted"],
                "document": kw["document"],
                "variables": _text(kw["variables"] or {}),
                "errors": kw["errors"],
                "duration_ms": _ms(kw["duration"]),
            }
        )


def connect_recording() -> None:
    """Connect the receivers (idempotent); the toolbar's panel does it when it loads."""
    for signal, receiver in (
        (context_read, _on_read),
        (context_computed, _on_computed),
        (context_invalidated, _on_invalidated),
        (edge_purged, _on_purged),
        (operation_executed, _on_operation),
    ):
        signal.connect(receiver, dispatch_uid=f"mizan_gql.observability.{receiver.__name__}")
    connection_created.connect(_capture_new, dispatch_uid="mizan_gql.observability.sql")
    for connection in connections.all(initialized_only=True):
        _capture(connection)


async def record_function(
    entry: ClientFunction,
    request: Any,
    values: dict[str, Any],
    call: Callable[[], Awaitable[Any]],
) -> Any:
    """Time a server function's call and collect its SQL, when a recording is on."""
    recording = _current.get()
    if recording is None:
        return await call()
    row: dict[str, Any] = {"function": entry.name, "duration_ms": None, "sql": []}
    recording.functions.append(row)
    token = _sql.set(row["sql"])
    start = time.perf_counter()
    try:
        return await call()
    finally:
        row["duration_ms"] = _ms(time.perf_counter() - start)
        _sql.reset(token)


def _execute(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    queries = _sql.get()
    if queries is None:
        return execute(sql, params, many, context)
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        queries.append(
            {"sql": sql, "params": _text(params), "duration_ms": _ms(time.perf_counter() - start)}
        )


def _capture(connection: Any) -> None:
    # Django's documented execute wrappers, kept on the connection for its lifetime (the
    # wrapper does nothing outside a recorded server function).
    if _execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute)


def _capture_new(sender: Any, connection: Any, **kwargs: Any) -> None:
    _capture(connection)
