"""A lost channel layer (its Redis stopped) ends the SSE streams of subscriptions without
``complete``, so that clients open them again, as the WebSocket closes with 4503; once
Redis is back, subscribing works again."""

from __future__ import annotations

import asyncio
import json
import urllib.request

from tests.support.fixtures import own_redis  # noqa: F401  (fixture)
from tests.support.servers import ServerProcess, asgi_server
from tests.support.sse import Response, request

APP = "tests.channels_app.asgi:application"
NEWS = "subscription { newsChannel { headline } }"
EVENTS = {"Accept": "text/event-stream", "Origin": "http://localhost:3000"}


def publish_news(server: ServerProcess, headline: str) -> bool:
    body = json.dumps({"query": f'mutation {{ wsPublishNews(headline: "{headline}") }}'})
    http_request = urllib.request.Request(
        f"{server.url}/graphql", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(http_request, timeout=10) as response:
        return json.loads(response.read()) == {"data": {"wsPublishNews": True}}


async def subscribed(server: ServerProcess) -> Response | None:
    """A news stream that received a broadcast; None when it ended first."""
    stream = await request(server.port, "POST", "/graphql/stream", EVENTS, {"query": NEWS})
    assert stream.status == 200
    for attempt in range(100):
        if not await asyncio.to_thread(publish_news, server, f"probe {attempt}"):
            continue
        try:
            event = await stream.event(timeout=0.5)
        except TimeoutError:
            continue
        if event is None:
            await stream.close()
            return None
        assert event[0] == "next", event
        return stream
    raise AssertionError("the stream never received a broadcast")


async def ended_without_complete(stream: Response) -> None:
    while (event := await stream.event(timeout=30)) is not None:
        assert event[0] != "complete", event
    await stream.close()


async def test_a_lost_channel_layer_ends_the_stream_until_it_is_back(own_redis, tmp_path):  # noqa: F811
    env = {"MIZAN_TEST_REDIS_URL": own_redis.url, "MIZAN_TEST_REDIS_PREFIX": "mizan-sse"}
    settings = "tests.channels_app.redis_settings"
    with asgi_server(APP, settings, env=env, log=tmp_path / "daphne.log") as server:
        stream = await subscribed(server)
        assert stream is not None
        own_redis.stop()
        await ended_without_complete(stream)

        # Subscribing while the layer is down: the stream ends at once, without complete.
        again = await request(server.port, "POST", "/graphql/stream", EVENTS, {"query": NEWS})
        await ended_without_complete(again)

        own_redis.start()  # clients open the stream again until a subscription is accepted
        for _ in range(20):
            stream = await subscribed(server)
            if stream is not None:
                await stream.close()
                break
        else:
            raise AssertionError("no subscription was accepted once the layer was back")
