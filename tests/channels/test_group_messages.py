"""GroupMessages: joined at the first read, left - and its subscription_ended sent once -
however the iteration ends (closed, cancelled, or the layer lost)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from channels.layers import get_channel_layer

from mizan_gql.channels.hub import LAYER_LOST, GroupMessages, get_hub
from mizan_gql.signals import subscription_ended, subscription_started

from .conftest import listening_count, until_listening

GROUP = "test_group_messages"


@pytest.fixture
def signals():
    seen: Counter[str] = Counter()

    def started(sender, subscription, **kwargs):
        seen[f"started {subscription}"] += 1

    def ended(sender, subscription, **kwargs):
        seen[f"ended {subscription}"] += 1

    subscription_started.connect(started)
    subscription_ended.connect(ended)
    yield seen
    subscription_started.disconnect(started)
    subscription_ended.disconnect(ended)


async def test_messages_of_its_type_until_closed(signals):
    messages = GroupMessages(GROUP, "test.note", None, subscription="notes")
    first = asyncio.ensure_future(messages.__anext__())
    await until_listening(1)
    layer = get_channel_layer()
    # The hub hands a message to the subscriptions of the group it names.
    await layer.group_send(GROUP, {"type": "test.other", "group": GROUP, "n": 0})  # skipped
    await layer.group_send(GROUP, {"type": "test.note", "group": GROUP, "n": 1})
    assert (await asyncio.wait_for(first, 5))["n"] == 1
    assert signals == {"started notes": 1}
    await messages.aclose()
    await messages.aclose()
    assert signals == {"started notes": 1, "ended notes": 1}
    assert listening_count() == 0
    with pytest.raises(StopAsyncIteration):
        await messages.__anext__()


async def test_a_cancelled_read_leaves_the_group(signals):
    messages = GroupMessages(GROUP, "test.note", None, subscription="notes")
    reading = asyncio.ensure_future(messages.__anext__())
    await until_listening(1)
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
    assert signals == {"started notes": 1, "ended notes": 1}
    await until_listening(0)


async def test_a_lost_layer_ends_the_iteration(signals):
    messages = GroupMessages(GROUP, "test.note", None, subscription="notes")
    reading = asyncio.ensure_future(messages.__anext__())
    await until_listening(1)
    for queue in get_hub().listeners[GROUP]:
        queue.put_nowait(LAYER_LOST)
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(reading, 5)
    assert signals == {"started notes": 1, "ended notes": 1}
    await until_listening(0)
