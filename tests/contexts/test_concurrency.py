"""Race-free invalidation and single flight, interleaved deterministically with Events."""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import AsyncClient, Client

from mizan_gql import ainvalidate
from mizan_gql.contexts import flight
from tests.contexts_app.mizan_clients import CALLS, NAMES, gate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("context_cache")]

_threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="wsgi-request")

SLOW = "query($k: String!) { ctxSlow(key: $k) }"
ASLOW = "query($k: String!) { ctxAslow(key: $k) }"


async def request(gql, query: str, key: str) -> str:
    """One request from a client of its own, concurrent with others on either stack."""
    body = json.dumps({"query": query, "variables": {"k": key}})
    if gql.is_async:
        response = await AsyncClient().post("/graphql", body, content_type="application/json")
    else:
        # A thread per request, each running its own event loop, like a threaded WSGI server.
        future = _threads.submit(Client().post, "/graphql", body, content_type="application/json")
        response = await asyncio.wrap_future(future)
    assert response.status_code == 200, response.content
    data = response.json()
    assert "errors" not in data, data
    return next(iter(data["data"].values()))


async def wait_for(event) -> None:
    assert await asyncio.to_thread(event.wait, 10), "the computation never started"


@pytest.mark.parametrize("scope", ["params", "whole context"])
async def test_value_computed_before_an_invalidation_is_never_served_after(gql, scope):
    started, release = gate("k")
    in_flight = asyncio.create_task(request(gql, SLOW, "k"))
    await wait_for(started)  # the computation has read the old data ...
    NAMES[0] = "new"  # ... the data changes, and is invalidated while it is in flight
    if scope == "params":
        await ainvalidate("ctx_slow", key="k")
    else:
        await ainvalidate("ctx_slow")
    release.set()
    # The in-flight request began before the invalidation: it may answer the old value.
    assert await in_flight == "k:initial"
    # Every request after the invalidation sees the new value, never the stale one.
    assert await request(gql, SLOW, "k") == "k:new"
    assert await request(gql, SLOW, "k") == "k:new"
    assert CALLS["ctx_slow"] == 2


async def test_concurrent_misses_compute_once(gql):
    started, release = gate("sf")
    leader = asyncio.create_task(request(gql, ASLOW, "sf"))
    await wait_for(started)
    followers = [asyncio.create_task(request(gql, ASLOW, "sf")) for _ in range(4)]
    # Deterministic interleaving: release only when all four wait for the leader's value.
    deadline = time.monotonic() + 10
    while sum(len(f._waiters) for f in list(flight._flights.values())) < 4:
        assert time.monotonic() < deadline, (
            "the followers never joined the flight",
            [len(f._waiters) for f in flight._flights.values()],
            dict(CALLS),
        )
        await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(leader, *followers)
    assert results == ["sf:initial"] * 5
    assert CALLS["ctx_aslow"] == 1
    # ... and the value was stored: the next request is a hit.
    assert await request(gql, ASLOW, "sf") == "sf:initial"
    assert CALLS["ctx_aslow"] == 1


async def test_waiters_compute_themselves_when_the_leader_fails():
    calls = []

    async def failing() -> str:
        calls.append("leader")
        await asyncio.sleep(0.05)
        raise RuntimeError("boom")

    async def working() -> str:
        calls.append("follower")
        return "ok"

    leader = asyncio.create_task(flight.single_flight("k", failing, wait=5))
    await asyncio.sleep(0)
    follower = asyncio.create_task(flight.single_flight("k", working, wait=5))
    with pytest.raises(RuntimeError):
        await leader
    assert await follower == "ok"
    assert calls == ["leader", "follower"]


async def test_another_process_computing_the_entry_is_waited_for(gql, context_cache):
    """A cache lock held elsewhere (another server process): wait for its value."""
    from mizan_gql.contexts import store
    from mizan_gql.contexts.keys import entry_key, lock_key

    params = {"key": "xp"}
    key = entry_key("ctx_slow", "ctx_slow", ["public"], params)
    version = store.lookup("ctx_slow", params, key).version
    assert store.get_cache().add(lock_key(key, version), 1, timeout=30)  # "the other process"
    waiting = asyncio.create_task(request(gql, SLOW, "xp"))
    await asyncio.sleep(0.3)  # long enough for a request that ignored the lock to compute
    store.store(key, version, "xp:from the other process", 60)
    assert await waiting == "xp:from the other process"
    assert CALLS["ctx_slow"] == 0
