"""``Mailbox``: the small queue an idle subscription waits on.

A process holds one per subscription (the hub's delivery queue) and one per socket (the
frames the socket received), and most of them sit empty for hours. ``asyncio.Queue``
allocates four deques (about 3 KiB) up front for getters, putters and ``join()``; a mailbox
has one reader and never blocks a writer, so it keeps a deque only while messages wait and
one future only while its reader waits (and no suspended coroutine of its own: ``get()``
hands out that future).
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

    __slots__ = ("__weakref__", "_getter", "_items", "maxsize")

    def __init__(self, maxsize: int = 0) -> None:
        self.maxsize = maxsize
        self._items: deque[T] | None = None
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
        if self._getter is not None and not self._getter.done():
            raise RuntimeError("a Mailbox has one reader")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if self._items:
            future.set_result(self.get_nowait())
        else:
            self._getter = future
        return future
