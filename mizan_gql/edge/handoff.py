"""Hand invalidations to the edge purge task without holding up whoever made them.

Every invalidation reaches :func:`hand_over`: a request's batch from
:class:`~mizan_gql.edge.EdgePurgeMiddleware`, and each one made anywhere else (a model
saved in the shell, a management command, a task, a request without the middleware)
through the :data:`~mizan_gql.signals.context_invalidated` receiver, after the transaction
it was made in commits. A single background thread per process resolves what it was
handed (entries that arrive while it works are merged into its next batch) and enqueues
:func:`~mizan_gql.edge.tasks.purge_edge`. So a response never waits for the purge, not
even with the immediate backend, which runs the task in that thread. The thread finishes
its work before the interpreter exits; :func:`wait_for_purges` waits for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.db import close_old_connections, transaction

from ..conf import mizan_settings
from ..invalidation_header import Invalidation
from ..schema import get_schema
from .manifest import generate_edge_manifest
from .purgers import get_purgers
from .resolver import Resolution, resolve
from .tasks import enqueue_purge, wait_for_retries

__all__ = [
    "collected_by_middleware",
    "hand_over",
    "on_invalidated",
    "site_manifest",
    "wait_for_purges",
]

logger = logging.getLogger("mizan_gql.edge")

# Set by EdgePurgeMiddleware around a request: it hands the request's batch over itself.
collected_by_middleware: ContextVar[bool] = ContextVar("mizan_edge_collected", default=False)


class _Handoff:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._pending: dict[Invalidation, None] = {}
        self._busy = False  # a run is scheduled or running
        self._executor: ThreadPoolExecutor | None = None

    def add(self, entries: Iterable[Invalidation]) -> None:
        with self._lock:
            self._pending.update(dict.fromkeys(entries))
            if self._busy or not self._pending:
                return
            self._busy = True
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="mizan-edge")
            executor = self._executor
        try:
            executor.submit(self._run)
        except RuntimeError:  # the interpreter is exiting: no new thread, purge here
            self._run()

    def _run(self) -> None:
        while True:
            with self._lock:
                entries = list(self._pending)
                self._pending.clear()
                if not entries:
                    self._busy = False
                    self._lock.notify_all()
                    return
            try:
                _enqueue(entries)
            except Exception:
                logger.exception(
                    "Edge purge lost: could not resolve %s", ", ".join(map(str, entries))
                )
            finally:
                close_old_connections()  # the thread's own connection (database backend)

    def wait(self, timeout: float) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: not self._busy, timeout)


_handoff = _Handoff()


def hand_over(entries: Iterable[Invalidation]) -> None:
    """Purge the edge of ``entries`` in the background (nothing without purgers)."""
    if mizan_settings.EDGE_PURGERS:
        _handoff.add(entries)


def wait_for_purges(timeout: float = 10.0) -> bool:
    """Wait until what was handed over is enqueued and no retry waits on a timer (so with
    the immediate backend: purged, or given up); False if ``timeout`` seconds were not
    enough. For tests and for scripts that want the edge purged before they go on."""
    deadline = time.monotonic() + timeout
    return _handoff.wait(timeout) and wait_for_retries(deadline)


def on_invalidated(sender: Any, invalidation: Invalidation, **kwargs: Any) -> None:
    """``context_invalidated`` receiver: an invalidation no middleware collects is handed
    over once the transaction it was made in commits (at once outside one)."""
    if collected_by_middleware.get() or not mizan_settings.EDGE_PURGERS:
        return
    # ``in_atomic_block`` is a flag: reading it opens no connection (none may be opened
    # from the event loop, where ainvalidate() sends this signal).
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(hand_over, [invalidation]), robust=True)
    else:
        hand_over([invalidation])


def _enqueue(entries: list[Invalidation]) -> None:
    purgers = get_purgers()
    if not purgers:
        return
    resolution = resolve(entries, _manifest())
    if resolution.ignored:
        logger.warning("Edge purge ignored unknown entries: %s", ", ".join(resolution.ignored))
    if resolution:
        what = Resolution(resolution.urls, resolution.tags, resolution.prefixes)
        enqueue_purge(what, list(range(len(purgers))))


def site_manifest() -> dict[str, Any]:
    """The site's edge manifest, computed once per schema."""
    return _manifest()


def _manifest() -> dict[str, Any]:
    # Computed once per schema; a settings change (override_settings) builds a new schema.
    return get_schema().derived("edge_manifest", generate_edge_manifest)
