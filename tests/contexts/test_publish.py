"""Every invalidation is published on the Channels layer (group ``mizan.invalidations``)."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import pytest
from channels.layers import get_channel_layer
from django.test import AsyncClient, override_settings

from mizan_gql.contexts import GROUP
from tests.conftest import REDIS_HOST, REDIS_PORT, GraphQLClient, require_redis
from tests.contexts.conftest import REDIS_DB, worker_prefix

pytestmark = pytest.mark.django_db(transaction=True)

RENAME = 'mutation { ctxRename(userId: 5, displayName: "Bob") { displayName } }'


async def receive_invalidation(gql) -> dict:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(GROUP, channel)
    try:
        response = await gql.post(RENAME)
        assert response.status_code == 200
        return await asyncio.wait_for(layer.receive(channel), 10)
    finally:
        await layer.group_discard(GROUP, channel)


async def test_published_on_the_in_memory_layer():
    # The in-memory layer lives on one event loop: the ASGI stack shares the test's loop.
    message = await receive_invalidation(GraphQLClient(AsyncClient(), is_async=True))
    assert message == {
        "type": "mizan.invalidate",
        "entries": [{"context": "ctx_user", "params": {"user_id": 5}, "cache": "public"}],
    }


# Another process: the same settings, the Redis layer, one invalidate() from plain code.
PUBLISHER = """
import sys
import django
from django.test import override_settings
django.setup()
from mizan_gql import invalidate
with override_settings(CHANNEL_LAYERS={"default": {
    "BACKEND": "channels_redis.core.RedisChannelLayer",
    "CONFIG": {"hosts": [sys.argv[1]], "prefix": sys.argv[2]},
}}):
    invalidate("ctx_user", user_id=5)
"""


async def test_published_across_processes_through_redis():
    require_redis()
    hosts = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    prefix = worker_prefix()
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [hosts], "prefix": prefix},
        }
    }
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    with override_settings(CHANNEL_LAYERS=layers):
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)
        try:
            publisher = await asyncio.create_subprocess_exec(
                sys.executable, "-c", PUBLISHER, hosts, prefix, env=environment
            )
            assert await asyncio.wait_for(publisher.wait(), 60) == 0
            message = await asyncio.wait_for(layer.receive(channel), 10)
        finally:
            await layer.group_discard(GROUP, channel)
    assert message["entries"] == [
        {"context": "ctx_user", "params": {"user_id": 5}, "cache": "public"}
    ]


async def test_a_failing_layer_is_logged_not_raised(gql, own_redis, caplog):
    own_redis.stop()  # a Redis layer whose server is gone
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [own_redis.url]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers), caplog.at_level(logging.WARNING):
        response = await gql.post(RENAME)
    assert response.status_code == 200
    assert response.json()["data"]["ctxRename"]["displayName"] == "Bob"
    assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=5"
    assert any("Could not publish" in r.getMessage() for r in caplog.records)
