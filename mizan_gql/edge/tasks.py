"""The edge purge task: send a resolution to the purgers, retry with backoff, never drop it.

``purge_edge`` is a task of Django's task framework (:mod:`.taskqueue`), enqueued on
``MIZAN["EDGE_TASK_BACKEND"]`` / ``["EDGE_TASK_QUEUE"]``; any backend runs it (a worker
needs only the settings, never the schema). Each purger is tried once per run; the
purgers that failed are retried ``EDGE_PURGE_RETRIES`` times, waiting
``EDGE_PURGE_BACKOFF`` seconds, then twice as long each time (at most
``EDGE_PURGE_BACKOFF_MAX``, at least what a ``Retry-After`` asked for). A retry is the task
enqueued again: with ``run_after`` on a backend that supports it (the database backend, a
worker-based one), else (the immediate backend) from a timer thread once the delay is over.
A purge that fails for good is logged at ERROR on ``mizan_gql.edge`` with its URLs and tags.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..conf import mizan_settings
from ..signals import edge_purged
from .purge_api import PurgeError
from .purgers import get_purgers
from .resolver import Resolution
from .taskqueue import backend_supports_defer, task

__all__ = ["enqueue_purge", "purge_task", "retry_delay", "wait_for_retries"]

logger = logging.getLogger("mizan_gql.edge")


def _purge_edge(
    urls: list[str],
    tags: list[str],
    prefixes: list[str],
    purgers: list[int],
    attempt: int = 1,
) -> None:
    """Purge with the purgers at these indexes of ``MIZAN["EDGE_PURGERS"]``."""
    resolution = Resolution(tuple(urls), tuple(tags), tuple(prefixes))
    configured = get_purgers()
    retries = max(0, int(mizan_settings.EDGE_PURGE_RETRIES))
    failed: list[int] = []
    wait = 0.0
    for index in purgers:
        if index >= len(configured):
            _lost(resolution, f"EDGE_PURGERS[{index}]", attempt, "no such purger any more")
            continue
        purger = configured[index]
        name = type(purger).__name__
        try:
            purger.purge(resolution)
        except Exception as exc:
            # Any other exception may pass too (a bug in a purger is retried like an outage).
            known = exc if isinstance(exc, PurgeError) else PurgeError(str(exc))
            if known.retryable and attempt <= retries:
                outcome = "retry"
                failed.append(index)
                wait = max(wait, known.retry_after)
                logger.warning(
                    "Edge purger %s failed (attempt %d of %d), retrying: %s",
                    name,
                    attempt,
                    retries + 1,
                    exc,
                )
            else:
                outcome = "failed"
                _lost(resolution, name, attempt, exc)
        else:
            outcome = "ok"
        if edge_purged.receivers:
            edge_purged.send(None, purger=name, resolution=resolution, outcome=outcome)
    if failed:
        delay = min(max(retry_delay(attempt), wait), float(mizan_settings.EDGE_PURGE_BACKOFF_MAX))
        enqueue_purge(resolution, failed, attempt + 1, delay)


# Workers find the task by this path (mizan_gql.edge.tasks.purge_edge).
_purge_edge.__name__ = _purge_edge.__qualname__ = "purge_edge"


def purge_task() -> Any:
    """The ``purge_edge`` task. Made on first use, not at import: making a task reads the
    ``TASKS`` setting, and ``import mizan_gql`` must work before settings are configured."""
    return __getattr__("purge_edge")


def __getattr__(name: str) -> Any:
    # ``mizan_gql.edge.tasks.purge_edge``, as import_string() finds it in a worker.
    if name != "purge_edge":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    made = globals().get("_task")
    if made is None:
        made = globals()["_task"] = task(_purge_edge)
    return made


def retry_delay(attempt: int) -> float:
    """Seconds to wait after the failed ``attempt`` (1, 2, ...) before the next one."""
    backoff = float(mizan_settings.EDGE_PURGE_BACKOFF) * 2 ** (attempt - 1)
    return min(backoff, float(mizan_settings.EDGE_PURGE_BACKOFF_MAX))


def enqueue_purge(
    resolution: Resolution, purgers: Sequence[int], attempt: int = 1, delay: float = 0.0
) -> None:
    """Enqueue :func:`purge_edge` for ``resolution``, ``delay`` seconds from now.

    A backend that cannot take the task (its database or broker is down) is logged with
    the URLs and tags, like a purge that failed for good.
    """
    try:
        alias = mizan_settings.EDGE_TASK_BACKEND
        queued = purge_task().using(backend=alias, queue_name=mizan_settings.EDGE_TASK_QUEUE)
        if delay > 0 and not backend_supports_defer(alias):
            timer = threading.Timer(delay, enqueue_purge, (resolution, purgers, attempt))
            timer.name = "mizan-edge-retry"
            with _timers_lock:
                _timers.difference_update([t for t in _timers if not t.is_alive()])
                _timers.add(timer)
            timer.start()  # not a daemon: a command that exits waits for its retries
            return
        if delay > 0:
            queued = queued.using(run_after=datetime.now(UTC) + timedelta(seconds=delay))
        queued.enqueue(
            list(resolution.urls),
            list(resolution.tags),
            list(resolution.prefixes),
            list(purgers),
            attempt,
        )
    except Exception as exc:
        _lost(resolution, "the task backend", attempt - 1, exc)  # attempts made so far


_timers: set[threading.Timer] = set()
_timers_lock = threading.Lock()


def wait_for_retries(deadline: float) -> bool:
    """Wait until no retry is waiting on a timer (or ``time.monotonic()`` passes
    ``deadline``); a retry that fails again starts a new timer, which is waited for too."""
    while True:
        with _timers_lock:
            live = [t for t in _timers if t.is_alive()]
        if not live:
            return True
        for timer in live:
            timer.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _timers_lock:
                return not any(t.is_alive() for t in _timers)


def _lost(resolution: Resolution, who: str, attempt: int, error: object) -> None:
    logger.error(
        "Edge purge lost after %d attempt(s) (%s: %s): urls=%s tags=%s prefixes=%s",
        attempt,
        who,
        error,
        " ".join(resolution.urls) or "-",
        " ".join(resolution.tags) or "-",
        " ".join(resolution.prefixes) or "-",
    )
