"""Metrics of WebSockets, subscriptions and fan-out deliveries for a scripted session, read
back exactly: OpenTelemetry through the SDK's in-memory reader, prometheus_client through a
registry of the test's own (mizan_gql.observability.metrics)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from prometheus_client import CollectorRegistry

from mizan_gql import ainvalidate
from mizan_gql.observability.metrics import OpenTelemetryMetrics, PrometheusMetrics
from tests.channels_app.mizan_clients import NewsChannel
from tests.observability.test_metrics import points

from .conftest import LEGACY

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = "subscription { newsChannel { headline } }"
INVALIDATIONS = 'subscription { mizanInvalidations(contexts: ["ctx_user"]) { context } }'


class Metrics:
    def __init__(self) -> None:
        self.reader = InMemoryMetricReader()
        self.otel = OpenTelemetryMetrics(MeterProvider(metric_readers=[self.reader]))
        self.registry = CollectorRegistry()
        self.prometheus = PrometheusMetrics(self.registry)

    def by(self, name: str, attribute: str | None = None) -> dict[str | None, float]:
        """OpenTelemetry's ``name`` by the value of ``attribute`` (None: no attributes)."""
        found = points(self.reader).get(name, {})
        return {(dict(k)[attribute] if attribute else None): v for k, v in found.items()}

    def active(self) -> dict[str | None, float]:
        return self.by("mizan.subscriptions.active", "subscription")

    def sample(self, name: str, **labels: str) -> float | None:
        return self.registry.get_sample_value(name, labels)


@pytest.fixture
def metrics() -> Iterator[Metrics]:
    metrics = Metrics()
    metrics.otel.connect()
    metrics.prometheus.connect()
    yield metrics
    metrics.otel.disconnect()
    metrics.prometheus.disconnect()


async def until(condition: Callable[[], bool]) -> None:
    """Wait for what the server does after the client's last message (ends are async)."""
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError("the metrics never got there")


async def test_a_websocket_session_is_counted(sockets, metrics):
    first = await sockets()  # graphql-transport-ws
    second = await sockets(LEGACY)
    await first.subscribed("n", NEWS)
    await second.subscribed("n", NEWS)
    await first.subscribed("i", INVALIDATIONS)

    # One layer message, handed to the two local subscriptions of the group.
    await NewsChannel.abroadcast("news", {"headline": "one"})
    assert (await first.next("n"))["data"]["newsChannel"] == {"headline": "one"}
    assert (await second.next("n"))["data"]["newsChannel"] == {"headline": "one"}
    # One invalidation event, to the one mizanInvalidations subscription.
    await ainvalidate("ctx_user", user_id=5)
    assert (await first.next("i"))["data"]["mizanInvalidations"] == {"context": "ctx_user"}

    await first.complete("n")
    await until(lambda: metrics.active()["newsChannel"] == 1)
    await NewsChannel.abroadcast("news", {"headline": "two"})  # to the second socket only
    assert (await second.next("n"))["data"]["newsChannel"] == {"headline": "two"}
    await second.disconnect()  # ends its subscription too
    await until(lambda: metrics.active()["newsChannel"] == 0)

    assert metrics.by("mizan.websocket.connections") == {None: 2}
    assert metrics.by("mizan.websocket.open") == {None: 1}
    assert metrics.by("mizan.subscriptions", "subscription") == {
        "newsChannel": 2,
        "mizanInvalidations": 1,
    }
    assert metrics.active() == {
        "newsChannel": 0,
        "mizanInvalidations": 1,
    }
    assert metrics.by("mizan.fanout.deliveries", "message_type") == {
        "mizan.channel.message": 3,
        "mizan.invalidate": 1,
    }
    assert metrics.sample("mizan_websocket_connections_total") == 2
    assert metrics.sample("mizan_websocket_open") == 1
    assert metrics.sample("mizan_subscriptions_total", subscription="newsChannel") == 2
    assert metrics.sample("mizan_subscriptions_total", subscription="mizanInvalidations") == 1
    assert metrics.sample("mizan_subscriptions_active", subscription="newsChannel") == 0
    assert metrics.sample("mizan_subscriptions_active", subscription="mizanInvalidations") == 1
    deliveries = "mizan_fanout_deliveries_total"
    assert metrics.sample(deliveries, message_type="mizan.channel.message") == 3
    assert metrics.sample(deliveries, message_type="mizan.invalidate") == 1

    await first.disconnect()
    # The socket's close and its subscription's end are counted in either order (with
    # Strawberry 0.327 on graphql-core 3.2, the lowest releases, the subscription ends last).
    await until(
        lambda: (
            metrics.by("mizan.websocket.open") == {None: 0}
            and metrics.active()["mizanInvalidations"] == 0
        )
    )
    assert metrics.active() == {
        "newsChannel": 0,
        "mizanInvalidations": 0,
    }
    assert metrics.by("mizan.websocket.connections") == {None: 2}
    assert metrics.sample("mizan_websocket_open") == 0
    assert metrics.sample("mizan_subscriptions_active", subscription="mizanInvalidations") == 0


async def test_a_refused_subscription_is_not_counted(sockets, metrics):
    socket = await sockets()
    await socket.subscribe("s", 'subscription { staffNewsChannel(topic: "pay") { headline } }')
    assert (await socket.receive())["type"] == "error"  # anonymous: refused before streaming
    await socket.disconnect()
    assert "mizan.subscriptions" not in points(metrics.reader)
    assert metrics.by("mizan.websocket.connections") == {None: 1}
    assert metrics.by("mizan.websocket.open") == {None: 0}
