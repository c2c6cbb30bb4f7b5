"""Live counters of the contexts, over the last hour, in the contexts' cache.

The admin's "Contexts" page reads them for every process of the site, so they live in
``MIZAN["CACHE"]``. Counting must stay cheap on a context hit, so a process adds to its own
table in memory (a lock and a dict update) and a background thread of the process hands
the sums to the cache every :data:`FLUSH_INTERVAL` seconds. There, each counter is
sharded: a process increments its own shard of each five-minute bucket
(``mizan:obs:<bucket>:<shard>:<context>:<counter>``), so busy processes do not contend on
one key, and a reader adds the shards and buckets of the last hour up.

The recent invalidations are a ring of :data:`RING` keys (``mizan:obs:recent:<slot>``), one
entry each: a flush takes as many sequence numbers as it has entries with one atomic
``cache.incr`` of ``mizan:obs:recent:seq`` and writes each entry to the slot of its number,
so processes never overwrite each other's entries (only the oldest, once the ring is full)
and nothing is read before writing.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import defaultdict
from typing import Any

from ..contexts.store import get_cache
from ..signals import context_computed, context_invalidated, context_read

__all__ = ["COUNTERS", "NAMES", "Counters", "read_window", "recent_invalidations"]

logger = logging.getLogger("mizan_gql.observability")

NAMES = ("hits", "misses", "computes", "compute_us", "invalidations")
BUCKET = 300  # seconds per bucket
WINDOW = 3600  # what the admin shows
SHARDS = 8
FLUSH_INTERVAL = 5.0
RECENT = 50  # invalidations the admin shows
RING = 2 * RECENT  # invalidations kept, site-wide (flushes arrive a little out of order)
PREFIX = "mizan:obs"
SEQUENCE = f"{PREFIX}:recent:seq"


def _bucket(now: float) -> int:
    return int(now // BUCKET)


def _key(bucket: int, shard: int, context: str, name: str) -> str:
    return f"{PREFIX}:{bucket}:{shard}:{context}:{name}"


class Counters:
    """The process's pending counts and its flusher thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.recent: list[dict[str, Any]] = []
        self.shard = random.randrange(SHARDS)
        self.thread: threading.Thread | None = None
        self.wake = threading.Event()

    def connect(self) -> None:
        context_read.connect(self.on_read, weak=False, dispatch_uid="mizan_gql.counters.read")
        context_computed.connect(
            self.on_computed, weak=False, dispatch_uid="mizan_gql.counters.computed"
        )
        context_invalidated.connect(
            self.on_invalidated, weak=False, dispatch_uid="mizan_gql.counters.invalidated"
        )

    def disconnect(self) -> None:
        context_read.disconnect(dispatch_uid="mizan_gql.counters.read")
        context_computed.disconnect(dispatch_uid="mizan_gql.counters.computed")
        context_invalidated.disconnect(dispatch_uid="mizan_gql.counters.invalidated")

    def on_read(self, sender: Any, *, context: str, hit: bool, **kwargs: Any) -> None:
        with self.lock:
            self.pending[context, "hits" if hit else "misses"] += 1
        self._ensure_thread()

    def on_computed(self, sender: Any, *, context: str, duration: float, **kwargs: Any) -> None:
        with self.lock:
            self.pending[context, "computes"] += 1
            self.pending[context, "compute_us"] += int(duration * 1_000_000)
        self._ensure_thread()

    def on_invalidated(self, sender: Any, *, invalidation: Any, source: str, **kw: Any) -> None:
        event = {
            "context": invalidation.context,
            "entry": str(invalidation),
            "time": time.time(),
            "source": source,
        }
        with self.lock:
            self.pending[invalidation.context, "invalidations"] += 1
            self.recent.append(event)
        self._ensure_thread()

    def _ensure_thread(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            with self.lock:
                if self.thread is None or not self.thread.is_alive():
                    self.thread = threading.Thread(
                        target=self._run, name="mizan-counters", daemon=True
                    )
                    self.thread.start()

    def _run(self) -> None:
        while True:
            self.wake.wait(FLUSH_INTERVAL)
            self.wake.clear()
            self.flush()

    def flush(self) -> None:
        """Hand the pending counts to the cache (the admin calls it before reading)."""
        with self.lock:
            pending, self.pending = self.pending, defaultdict(int)
            recent, self.recent = self.recent, []
        if not pending and not recent:
            return
        try:
            cache = get_cache()
            bucket = _bucket(time.time())
            for (context, name), count in pending.items():
                if count:
                    key = _key(bucket, self.shard, context, name)
                    _increment(cache, key, count, timeout=WINDOW + BUCKET)
            if recent:
                last = _increment(cache, SEQUENCE, len(recent), timeout=None)
                first = last - len(recent) + 1
                entries = {_slot(first + i): event for i, event in enumerate(recent)}
                cache.set_many(entries, timeout=WINDOW)
        except Exception:  # counters must never fail the site
            logger.warning("mizan_gql could not store its counters", exc_info=True)


def _increment(cache: Any, key: str, count: int, timeout: float | None) -> int:
    """Add ``count`` to ``key`` atomically (created with ``timeout``); the new value."""
    try:
        return int(cache.incr(key, count))
    except ValueError:  # not there yet: create it, unless another process did
        if cache.add(key, count, timeout=timeout):
            return count
        return int(cache.incr(key, count))


def _slot(number: int) -> str:
    return f"{PREFIX}:recent:{number % RING}"


COUNTERS = Counters()


def read_window(contexts: list[str], now: float | None = None) -> dict[str, dict[str, int]]:
    """Each context's counters over the last hour, every process's shards added up."""
    now = time.time() if now is None else now
    last = _bucket(now)
    buckets = range(last - WINDOW // BUCKET + 1, last + 1)
    keys = [
        _key(b, s, c, n) for c in contexts for b in buckets for s in range(SHARDS) for n in NAMES
    ]
    found = get_cache().get_many(keys) if keys else {}
    totals = {c: dict.fromkeys(NAMES, 0) for c in contexts}
    for key, value in found.items():
        _, _, _, _, context, name = key.split(":", 5)
        totals[context][name] += int(value)
    return totals


def recent_invalidations(limit: int = RECENT) -> list[dict[str, Any]]:
    """The last invalidations of every process, newest first."""
    found = get_cache().get_many([_slot(number) for number in range(RING)])
    events = list(found.values())
    events.sort(key=lambda event: event["time"], reverse=True)
    return events[:limit]
