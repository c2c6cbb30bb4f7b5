"""Subscriptions outlive the layer's group_expiry: the hub joins its groups again in time.

channels_redis forgets a membership ``group_expiry`` seconds after it was added (its score
in the group's sorted set is the time of the add); a subscription open longer than that
used to stop receiving broadcasts without a word. Runs on the real Redis server with a
3-second expiry, watching the membership's score for the re-adds.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest
from django.core import checks

from mizan_gql.channels.checks import check_group_expiry
from tests.channels_app.mizan_clients import NewsChannel

from .conftest import until_listening

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = "subscription { newsChannel { headline } }"
EXPIRY = 3


@pytest.fixture
def redis_layer(settings, redis_server):
    """channels_redis on the real server with a short group_expiry, under a key prefix of
    this test (removed afterwards); yields a function reading a group's memberships."""
    import redis

    prefix = f"mizan-expiry-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": f"{redis_server}/0", "socket_timeout": 15}],
                "prefix": prefix,
                "group_expiry": EXPIRY,
            },
        }
    }
    client = redis.Redis.from_url(f"{redis_server}/0")

    def memberships(group: str) -> dict[bytes, float]:
        return dict(client.zrange(f"{prefix}:group:{group}", 0, -1, withscores=True))

    yield memberships
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


async def test_a_subscription_keeps_receiving_after_group_expiry(sockets, redis_layer):
    group = NewsChannel.layer_group("news")
    socket = await sockets()
    await socket.subscribed("n", NEWS)
    [(channel, joined)] = redis_layer(group).items()

    # Poll for a re-add made when the first membership had expired: without it,
    # channels_redis drops the channel at the next broadcast.
    deadline = time.monotonic() + 8 * EXPIRY
    while redis_layer(group).get(channel, 0) <= joined + EXPIRY + 1:
        assert time.monotonic() < deadline, "the hub never joined the group again"
        await asyncio.sleep(0.1)
    assert time.time() > joined + EXPIRY + 1  # the first membership is over

    await NewsChannel.abroadcast("news", {"headline": "still here"})
    assert await socket.next("n") == {"data": {"newsChannel": {"headline": "still here"}}}
    assert list(redis_layer(group)) == [channel]  # one membership per process, refreshed

    # Once the last subscriber leaves, the hub leaves the group and refreshes nothing.
    await socket.complete("n")
    await until_listening(0)
    assert redis_layer(group) == {}


def redis_layer_config(**config):
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}]}
            | config,
        }
    }


def test_a_group_expiry_shorter_than_a_socket_may_live_warns(settings):
    settings.CHANNEL_LAYERS = redis_layer_config(group_expiry=3)
    assert check_group_expiry() == [
        checks.Warning(
            "CHANNEL_LAYERS['default']: group_expiry is 3 seconds, shorter than a WebSocket "
            "may stay open (86400 seconds, daphne's default --websocket_timeout). "
            "mizan_gql's subscriptions join their groups again in time, but a Channels "
            "consumer or a listen_to_channel() subscription of yours stops receiving "
            "broadcasts 3 seconds after it joined.",
            hint="Raise group_expiry to 86400 (the default) or more, or silence "
            "mizan_gql.W054 if every subscription goes through mizan_gql.",
            id="mizan_gql.W054",
        )
    ]
    for config in ({"group_expiry": 86400}, {"group_expiry": 604800}, {}):
        settings.CHANNEL_LAYERS = redis_layer_config(**config)
        assert check_group_expiry() == []
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"group_expiry": 60},
        }
    }
    assert [m.id for m in check_group_expiry()] == ["mizan_gql.W054"]
