"""The recent invalidations of several processes in the one cache: none overwrites
another's, however their flushes interleave, and the ring keeps the newest."""

from __future__ import annotations

from typing import Any

import pytest

from mizan_gql.contexts.store import get_cache
from mizan_gql.invalidation_header import Invalidation
from mizan_gql.observability import counters
from mizan_gql.observability.counters import RING, Counters, recent_invalidations


def process(shard: int) -> Counters:
    """The counters of another process of the site (not connected to the signals)."""
    other = Counters()
    other.shard = shard
    return other


def invalidated(counts: Counters, context: str, user_id: int, source: str) -> None:
    counts.on_invalidated(
        None, invalidation=Invalidation(context, {"user_id": user_id}), source=source
    )


class WriteInterrupted:
    """The cache, where the first write of recent invalidations lets ``meanwhile`` run just
    before it: another process flushing between this one's reads and writes."""

    def __init__(self, cache: Any, meanwhile: Any) -> None:
        self.cache = cache
        self.meanwhile = meanwhile

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cache, name)

    def _first(self) -> None:
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()

    def set(self, *args: Any, **kwargs: Any) -> Any:
        self._first()
        return self.cache.set(*args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        self._first()
        return self.cache.set_many(*args, **kwargs)


@pytest.mark.parametrize("shards", [(3, 3), (3, 5)], ids=["same shard", "other shards"])
def test_interleaved_flushes_of_two_processes_keep_both(monkeypatch, shards):
    first, second = process(shards[0]), process(shards[1])
    invalidated(first, "ctx_user", 1, "mutation Rename")
    invalidated(first, "ctx_user", 2, "mutation Rename")
    invalidated(second, "ctx_user", 3, "admin eve")
    cache = get_cache()
    # The second process flushes while the first is about to write.
    interrupted = WriteInterrupted(cache, second.flush)
    monkeypatch.setattr(counters, "get_cache", lambda: interrupted)
    first.flush()
    monkeypatch.setattr(counters, "get_cache", lambda: cache)

    got = sorted((event["entry"], event["source"]) for event in recent_invalidations())
    assert got == [
        ("ctx_user;user_id=1", "mutation Rename"),
        ("ctx_user;user_id=2", "mutation Rename"),
        ("ctx_user;user_id=3", "admin eve"),
    ]


def test_the_ring_keeps_the_newest():
    counts = [process(0), process(1)]
    for number in range(RING + 30):
        invalidated(counts[number % 2], "ctx_user", number, "code tests.flush")
        counts[number % 2].flush()
    numbers = sorted(int(event["entry"].rsplit("=", 1)[1]) for event in recent_invalidations(RING))
    assert numbers == list(range(30, RING + 30))
    newest = recent_invalidations(3)
    assert [event["entry"] for event in newest] == [
        f"ctx_user;user_id={RING + 29}",
        f"ctx_user;user_id={RING + 28}",
        f"ctx_user;user_id={RING + 27}",
    ]
