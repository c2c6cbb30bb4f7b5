"""The Mailbox an idle subscription (and an idle socket) waits on."""

from __future__ import annotations

import asyncio

import pytest

from mizan_gql.channels.mailbox import Mailbox


async def test_items_come_out_in_order_whether_queued_or_awaited():
    box: Mailbox[int] = Mailbox()
    box.put_nowait(1)
    box.put_nowait(2)
    assert await box.get() == 1
    reader = asyncio.ensure_future(box.get())
    assert await reader == 2
    waiting = asyncio.ensure_future(box.get())
    await asyncio.sleep(0)
    box.put_nowait(3)  # handed to the waiting reader
    box.put_nowait(4)  # queued
    assert await waiting == 3
    assert box.qsize() == 1
    assert await box.get() == 4
    assert box.empty()


async def test_one_reader_at_a_time():
    box: Mailbox[int] = Mailbox()
    first = box.get()
    with pytest.raises(RuntimeError, match="one reader"):
        box.get()
    box.put_nowait(1)
    assert await first == 1
    second = box.get()  # the first reader is done: another may wait
    box.put_nowait(2)
    assert await second == 2


async def test_a_cancelled_reader_loses_nothing_put_afterwards():
    box: Mailbox[str] = Mailbox()
    reader = asyncio.ensure_future(box.get())
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    box.put_nowait("kept")
    assert await box.get() == "kept"


async def test_get_is_done_at_once_when_an_item_waits():
    box: Mailbox[int] = Mailbox()
    box.put_nowait(7)
    reader = box.get()
    assert reader.done()
    assert await reader == 7
    assert box.empty()


def test_full_bounds_a_mailbox_with_a_maxsize():
    box: Mailbox[int] = Mailbox(maxsize=2)
    box.put_nowait(1)
    assert not box.full()
    box.put_nowait(2)
    assert box.full()
    assert not Mailbox().full()
