"""The per-process hub when its last subscriber leaves and the next one comes."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.layers import InMemoryChannelLayer

from mizan_gql.channels.hub import GroupHub


class StubbornLayer(InMemoryChannelLayer):
    """A layer whose receive, once cancelled, does not finish until released (as a
    channels_redis receive sometimes never did)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.release = asyncio.Event()

    async def receive(self, channel: str) -> dict[str, Any]:
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            await self.release.wait()
            raise


async def test_the_next_subscriber_receives_after_the_last_one_left():
    layer = StubbornLayer()
    hub = GroupHub(layer)
    try:
        first, joined = await hub.join("news")
        assert joined
        # As a subscription leaves: in a task of its own, which nothing cancels.
        leaving = asyncio.ensure_future(hub.leave("news", first))
        await asyncio.sleep(0.1)
        assert (
            await layer.group_send("news", {"type": "x", "group": "news", "n": 0}) is None
        )  # nobody there

        second, joined = await asyncio.wait_for(hub.join("news"), timeout=5)
        assert joined
        await layer.group_send("news", {"type": "x", "group": "news", "n": 1})
        assert await asyncio.wait_for(second.get(), timeout=5) == {
            "type": "x",
            "group": "news",
            "n": 1,
        }
        assert first.empty()
        await asyncio.wait_for(leaving, timeout=5)
    finally:
        layer.release.set()
        for task in (hub._task, hub._refresher):
            if task is not None:
                task.cancel()
