"""``Mailbox``: the small queue an idle subscription waits on.

A process holds one per subscription (the hub's delivery queue) and one per socket (the
frames the socket received), and most of them sit empty for hours. ``asyncio.Queue``
allocates four deques (about 3 KiB) up front for getters, putters and ``join()``; a mailbox
has one reader and never blocks a writer, so it keeps a deque only while messages wait and
one future only while its reader waits (and no suspended coroutine of its own: ``get()`` and
``wait()`` hand out that future).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

__all__ = ["Mailbox"]

T = TypeVar("T")


class Mailbox(Generic[T]):
    """A FIFO with one reader: ``put_nowait()`` never blocks, ``get()`` waits for an item.

    With ``maxsize`` (0: unbounded), ``full()`` says when the writer should drop an item
    first, as with ``asyncio.Queue``.
    """

    __slots__ = ("__weakref__", "_getter", "_items", "_waiter", "maxsize")

    def __init__(self, maxsize: int = 0) -> None:
        self.maxsize = maxsize
        self._items: deque[T] | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._getter: asyncio.Future[T] | None = None

    def qsize(self) -> int:
        return len(self._items) if self._items else 0

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return 0 < self.maxsize <= self.qsize()

    def put_nowait(self, item: T) -> None:
        getter, self._getter = self._getter, None
        if getter is not None and not getter.done():
            getter.set_result(item)  # the reader waits in get(): handed over, not queued
            return
        if self._items is None:
            self._items = deque()
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def get_nowait(self) -> T:
        if not self._items:
            raise asyncio.QueueEmpty
        item = self._items.popleft()
        if not self._items:
            self._items = None  # an idle mailbox keeps no deque
        return item

    def get(self) -> asyncio.Future[T]:
        """The next item, as a future to await.

        A plain method, not a coroutine: a reader waiting for hours holds the future only,
        not a suspended frame as well. An item handed to a reader cancelled before it
        resumes goes with that reader (it is going away: its socket or subscription ends).
        """
        self._check_one_reader()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._items:
            future.set_result(self.get_nowait())
        else:
            self._getter = future
        return future

    def wait(self) -> asyncio.Future[None]:
        """A future done once an item waits (at once if one does); the item stays queued
        for ``get_nowait()``, also when the reader is cancelled meanwhile."""
        self._check_one_reader()
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        if self._items:
            waiter.set_result(None)
        return waiter

    def _check_one_reader(self) -> None:
        for pending in (self._getter, self._waiter):
            if pending is not None and not pending.done():
                raise RuntimeError("a Mailbox has one reader")
