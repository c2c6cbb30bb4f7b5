"""Single flight: concurrent misses of one entry compute it once per process.

Requests of one process may run on different event loops (WSGI runs each async view in
its own loop) and threads, so a flight is guarded by a thread lock and wakes each waiter
on its own loop. Waiting is bounded: a waiter that times out computes by itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["Flight", "single_flight"]


class Flight:
    """One computation in progress; other requests wait for its outcome."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.done = False
        self.ok = False
        self.value: Any = None
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def finish(self, ok: bool, value: Any = None) -> None:
        with self._lock:
            self.done, self.ok, self.value = True, ok, value
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_wake, future)
            except RuntimeError:  # that waiter's loop is closed: nobody to wake
                pass

    async def wait(self, timeout: float) -> bool:
        """Wait until the leader finishes; False on timeout."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self.done:
                return True
            self._waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return False
        return True


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_flights: dict[str, Flight] = {}
_flights_lock = threading.Lock()


async def single_flight(key: str, compute: Callable[[], Awaitable[Any]], wait: float) -> Any:
    """Run ``compute`` once for concurrent callers with the same ``key``.

    Followers get the leader's value; if the leader fails or takes longer than ``wait``
    seconds, they compute on their own (errors are never shared between requests).
    """
    with _flights_lock:
        flight = _flights.get(key)
        leader = flight is None
        if flight is None:
            flight = _flights[key] = Flight()
    if not leader:
        if await flight.wait(wait) and flight.ok:
            return flight.value
        return await compute()
    try:
        value = await compute()
    except BaseException:
        flight.finish(False)
        raise
    else:
        flight.finish(True, value)
        return value
    finally:
        with _flights_lock:
            if _flights.get(key) is flight:
                del _flights[key]
