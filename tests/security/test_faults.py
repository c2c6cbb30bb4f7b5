"""Faults of the services behind the app, with a Redis server of the test's own (the
shared one is never touched): a cache backend that is down or hung still gives correct,
uncached answers; a lost channel layer closes sockets with a retryable code, and clients
reconnect once it is back."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from django.test import override_settings

from mizan_gql.contexts.store import reset_warning
from tests.channels.conftest import listening_count, until_listening
from tests.channels_app.mizan_clients import NewsChannel
from tests.contexts_app.mizan_clients import CALLS, NAMES

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = "query($u: Int!) { ctxProfile(userId: $u) { userId displayName } }"
NEWS = "subscription { newsChannel { headline } }"
# A hung server must cost at most about this per cache operation.
SOCKET_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def cache_settings(url: str, worker: str) -> dict:
    return {
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "contexts": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"mizan-security-{worker}",
                "OPTIONS": SOCKET_OPTIONS,
            },
        },
        "MIZAN": {"CACHE": "contexts"},
    }


async def answers(gql, user_id: int) -> None:
    """/graphql and the context endpoint both give the right, current value."""
    expected = {"userId": user_id, "displayName": NAMES.get(user_id, f"user {user_id}")}
    response = await gql.post(PROFILE, {"u": user_id})
    assert response.status_code == 200
    assert response.json() == {"data": {"ctxProfile": expected}}
    response = await gql.get(f"/graphql/ctx/ctx_user/?user_id={user_id}")
    assert response.status_code == 200
    assert response.json()["data"]["ctxProfile"]["displayName"] == expected["displayName"]


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    NAMES.clear()
    yield
    NAMES.clear()


async def test_cache_down_then_back(gql, own_redis, worker_id, caplog):
    with override_settings(**cache_settings(own_redis.url, worker_id)):
        await answers(gql, 5)
        await answers(gql, 5)
        assert CALLS["ctx_profile"] == 1  # cached

        own_redis.stop()
        reset_warning()  # an earlier test of this process may have used the minute's warning
        with caplog.at_level(logging.WARNING):
            calls = CALLS["ctx_profile"]
            await answers(gql, 5)
            mutation = 'mutation { ctxRename(userId: 5, displayName: "renamed") { userId } }'
            assert (await gql.execute(mutation))["data"]["ctxRename"] == {"userId": 5}
            await answers(gql, 5)  # the rename shows: nothing stale is served
            assert CALLS["ctx_profile"] > calls  # computed, uncached
        # One warning says what failed (rate-limited: once a minute per process), and
        # nothing is logged as an error or with a traceback.
        warnings = [r.getMessage() for r in caplog.records if r.name.startswith("mizan_gql")]
        assert len(warnings) == 1, warnings
        assert "context cache 'contexts' failed" in warnings[0]
        assert "serving uncached values" in warnings[0]
        failures = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert failures == []

        own_redis.start()  # the same port: the app finds it again by itself
        await answers(gql, 5)
        calls = CALLS["ctx_profile"]
        await answers(gql, 5)
        assert CALLS["ctx_profile"] == calls  # cached again


async def test_hung_cache_is_bounded_by_the_socket_timeout(gql, own_redis, worker_id):
    with override_settings(**cache_settings(own_redis.url, worker_id)):
        await answers(gql, 6)
        own_redis.pause()
        try:
            started = time.monotonic()
            await answers(gql, 6)
            # A few cache operations, each cut off by the 0.5 s socket timeout; without
            # it the request would hang as long as the server does.
            assert time.monotonic() - started < 20
        finally:
            own_redis.resume()
        await answers(gql, 6)


def layer_settings(url: str, worker: str) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, "socket_timeout": 15}],
                "prefix": f"mizan-security-{worker}",
            },
        }
    }


async def test_lost_channel_layer_closes_sockets_with_a_retryable_code(
    sockets, own_redis, worker_id, settings
):
    from mizan_gql.constants import CLOSE_LAYER_LOST

    settings.CHANNEL_LAYERS = layer_settings(own_redis.url, worker_id)
    news = await sockets()
    await news.subscribed("n", NEWS)
    invalidations = await sockets()
    await invalidations.subscribed("i", "subscription { mizanInvalidations { header } }")
    await NewsChannel.abroadcast("news", {"headline": "before"})
    assert (await news.next("n"))["data"]["newsChannel"]["headline"] == "before"

    own_redis.stop()  # lost mid-stream: the sockets are closed, not left hanging
    assert await news.closed_with(timeout=15) == CLOSE_LAYER_LOST == 4503
    assert await invalidations.closed_with(timeout=15) == 4503
    await until_listening(0)

    own_redis.start()  # back (empty: group memberships are gone with the old server)
    for _ in range(20):  # the client reconnects until its subscription is accepted
        again = await sockets()
        await again.subscribe("n", NEWS)
        if await listening_or_closed(again):
            break
    await NewsChannel.abroadcast("news", {"headline": "after"})
    assert await again.next("n") == {"data": {"newsChannel": {"headline": "after"}}}


async def listening_or_closed(socket) -> bool:
    """True once the subscription listens; False if the socket was closed to retry."""
    for _ in range(400):
        if listening_count() == 1:
            return True
        if not socket.communicator.output_queue.empty():
            assert await socket.closed_with() == 4503
            return False
        await asyncio.sleep(0.025)
    raise AssertionError("neither listening nor closed")


async def test_publishing_on_a_lost_layer_does_not_fail_the_mutation(
    gql, own_redis, worker_id, settings
):
    settings.CHANNEL_LAYERS = layer_settings(own_redis.url, worker_id)
    own_redis.stop()
    mutation = 'mutation { ctxRename(userId: 8, displayName: "x") { userId } }'
    body = await gql.execute(mutation)
    assert body["data"] == {"ctxRename": {"userId": 8}}, body
    assert body["extensions"]["mizan"]["invalidate"] == ["ctx_user;user_id=8"]
