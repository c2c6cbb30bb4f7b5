"""Metrics through OpenTelemetry and ``prometheus_client``, whichever is installed.

:func:`install_metrics` (the app's ``ready()``) connects one receiver set per library that
imports; with neither installed it connects nothing, and the signals keep costing one
attribute test. Instruments, with their attributes (labels):

==========================================  ==========================================
OpenTelemetry                               prometheus_client
==========================================  ==========================================
``mizan.context.reads`` {context, result,   ``mizan_context_reads_total``
source}
``mizan.context.computes`` {context}        ``mizan_context_computes_total``
``mizan.context.compute.duration`` (s)      ``mizan_context_compute_seconds``
``mizan.context.invalidations`` {context,   ``mizan_context_invalidations_total``
source}
``mizan.operations`` {operation, type,      ``mizan_operations_total``
path, persisted}
``mizan.operation.duration`` (s)            ``mizan_operation_seconds``
``mizan.edge.purges`` {purger, outcome}     ``mizan_edge_purges_total``
``mizan.websocket.connections``             ``mizan_websocket_connections_total``
``mizan.websocket.open`` (up-down)          ``mizan_websocket_open`` (gauge)
``mizan.subscriptions`` {subscription}      ``mizan_subscriptions_total``
``mizan.subscriptions.active`` (up-down)    ``mizan_subscriptions_active`` (gauge)
{subscription}
``mizan.fanout.deliveries`` {message_type}  ``mizan_fanout_deliveries_total``
==========================================  ==========================================

``source`` of an invalidation is its kind: ``mutation``, ``admin`` or ``code``.

A context hit sends ``context_read``, so its receivers stay cheap: OpenTelemetry's context
reads and fan-out deliveries are tallied in memory and reported by observable counters
when the SDK collects (an SDK ``Counter.add`` costs several times a tally), and
prometheus_client's labelled children are looked up once per label set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from ..signals import (
    context_computed,
    context_invalidated,
    context_read,
    edge_purged,
    fanout_delivered,
    operation_executed,
    subscription_ended,
    subscription_started,
    websocket_closed,
    websocket_opened,
)

try:
    from opentelemetry import metrics as otel_metrics
except ImportError:  # the extra "metrics" is not installed
    otel_metrics = None  # type: ignore[assignment]
try:
    import prometheus_client
except ImportError:  # prometheus_client is not installed
    prometheus_client = None  # type: ignore[assignment]

__all__ = ["OpenTelemetryMetrics", "PrometheusMetrics", "install_metrics"]


def _operation(name: str | None) -> str:
    return name or "anonymous"


class _Tally:
    """Counts by label values, in memory, for instruments that read them when collected."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[Any, ...], int] = {}

    def add(self, key: tuple[Any, ...], amount: int = 1) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + amount

    def items(self) -> list[tuple[tuple[Any, ...], int]]:
        with self.lock:
            return list(self.counts.items())


class _Receivers:
    """Connects its ``on_*`` methods to the signals of the same names."""

    def connect(self) -> None:
        for signal, method in self._pairs():
            signal.connect(method, weak=False, dispatch_uid=(id(self), method.__name__))

    def disconnect(self) -> None:
        for signal, method in self._pairs():
            signal.disconnect(dispatch_uid=(id(self), method.__name__))

    def _pairs(self) -> list[tuple[Any, Any]]:
        return [
            (context_read, self.on_read),
            (context_computed, self.on_computed),
            (context_invalidated, self.on_invalidated),
            (operation_executed, self.on_operation),
            (edge_purged, self.on_purged),
            (websocket_opened, self.on_websocket_opened),
            (websocket_closed, self.on_websocket_closed),
            (subscription_started, self.on_subscription_started),
            (subscription_ended, self.on_subscription_ended),
            (fanout_delivered, self.on_fanout),
        ]

    def on_read(self, sender: Any, **kw: Any) -> None: ...
    def on_computed(self, sender: Any, **kw: Any) -> None: ...
    def on_invalidated(self, sender: Any, **kw: Any) -> None: ...
    def on_operation(self, sender: Any, **kw: Any) -> None: ...
    def on_purged(self, sender: Any, **kw: Any) -> None: ...
    def on_websocket_opened(self, sender: Any, **kw: Any) -> None: ...
    def on_websocket_closed(self, sender: Any, **kw: Any) -> None: ...
    def on_subscription_started(self, sender: Any, **kw: Any) -> None: ...
    def on_subscription_ended(self, sender: Any, **kw: Any) -> None: ...
    def on_fanout(self, sender: Any, **kw: Any) -> None: ...


class OpenTelemetryMetrics(_Receivers):
    """The instruments on a meter of ``meter_provider`` (default: the global provider)."""

    def __init__(self, meter_provider: Any = None) -> None:
        assert otel_metrics is not None, "opentelemetry-api is not installed"
        meter = otel_metrics.get_meter("mizan_gql", meter_provider=meter_provider)
        self.read_tally = _Tally()  # (context, result, source)
        self.fanout_tally = _Tally()  # (message_type,)
        self.reads = meter.create_observable_counter(
            "mizan.context.reads",
            callbacks=[self._observe(self.read_tally, ("context", "result", "source"))],
            unit="{read}",
            description="Context reads",
        )
        self.computes = meter.create_counter(
            "mizan.context.computes", "{compute}", "Context functions computed after a miss"
        )
        self.compute_time = meter.create_histogram(
            "mizan.context.compute.duration", "s", "Time to compute a context function"
        )
        self.invalidations = meter.create_counter(
            "mizan.context.invalidations", "{invalidation}", "invalidate() calls"
        )
        self.operations = meter.create_counter(
            "mizan.operations", "{operation}", "GraphQL operations"
        )
        self.operation_time = meter.create_histogram(
            "mizan.operation.duration", "s", "Time to run a GraphQL operation"
        )
        self.purges = meter.create_counter("mizan.edge.purges", "{purge}", "Edge purger calls")
        self.connections = meter.create_counter(
            "mizan.websocket.connections", "{connection}", "WebSockets opened"
        )
        self.open_connections = meter.create_up_down_counter(
            "mizan.websocket.open", "{connection}", "WebSockets open now"
        )
        self.subscriptions = meter.create_counter(
            "mizan.subscriptions", "{subscription}", "Subscriptions started"
        )
        self.active_subscriptions = meter.create_up_down_counter(
            "mizan.subscriptions.active", "{subscription}", "Subscriptions streaming now"
        )
        self.deliveries = meter.create_observable_counter(
            "mizan.fanout.deliveries",
            callbacks=[self._observe(self.fanout_tally, ("message_type",))],
            unit="{delivery}",
            description="Layer messages handed to local subscriptions",
        )

    @staticmethod
    def _observe(tally: _Tally, names: tuple[str, ...]) -> Any:
        assert otel_metrics is not None

        def observe(options: Any) -> Iterator[Any]:
            for key, count in tally.items():
                yield otel_metrics.Observation(count, dict(zip(names, key, strict=True)))

        return observe

    def on_read(self, sender: Any, **kw: Any) -> None:
        self.read_tally.add((kw["context"], "hit" if kw["hit"] else "miss", kw["source"]))

    def on_computed(self, sender: Any, **kw: Any) -> None:
        attributes = {"context": kw["context"]}
        self.computes.add(1, attributes)
        self.compute_time.record(kw["duration"], attributes)

    def on_invalidated(self, sender: Any, **kw: Any) -> None:
        source = kw["source"].split(" ", 1)[0]
        self.invalidations.add(1, {"context": kw["invalidation"].context, "source": source})

    def on_operation(self, sender: Any, **kw: Any) -> None:
        attributes = {
            "operation": _operation(kw["name"]),
            "type": kw["operation_type"] or "none",
            "path": kw["path"],
            "persisted": kw["persisted"],
        }
        self.operations.add(1, attributes)
        self.operation_time.record(kw["duration"], attributes)

    def on_purged(self, sender: Any, **kw: Any) -> None:
        self.purges.add(1, {"purger": kw["purger"], "outcome": kw["outcome"]})

    def on_websocket_opened(self, sender: Any, **kw: Any) -> None:
        self.connections.add(1)
        self.open_connections.add(1)

    def on_websocket_closed(self, sender: Any, **kw: Any) -> None:
        self.open_connections.add(-1)

    def on_subscription_started(self, sender: Any, **kw: Any) -> None:
        attributes = {"subscription": kw["subscription"]}
        self.subscriptions.add(1, attributes)
        self.active_subscriptions.add(1, attributes)

    def on_subscription_ended(self, sender: Any, **kw: Any) -> None:
        self.active_subscriptions.add(-1, {"subscription": kw["subscription"]})

    def on_fanout(self, sender: Any, **kw: Any) -> None:
        if kw["deliveries"]:
            self.fanout_tally.add((str(kw["message_type"]),), kw["deliveries"])


class PrometheusMetrics(_Receivers):
    """The metrics in ``registry`` (default: prometheus_client's, which ``/metrics`` of
    django-prometheus exports)."""

    def __init__(self, registry: Any = None) -> None:
        assert prometheus_client is not None, "prometheus_client is not installed"
        p = prometheus_client
        registry = p.REGISTRY if registry is None else registry
        self.reads = p.Counter(
            "mizan_context_reads",
            "Context reads",
            ["context", "result", "source"],
            registry=registry,
        )
        # The labelled children of ``reads`` by label values: labels() validates and locks.
        self.read_children: dict[tuple[str, str, str], Any] = {}
        self.computes = p.Counter(
            "mizan_context_computes", "Context functions computed", ["context"], registry=registry
        )
        self.compute_time = p.Histogram(
            "mizan_context_compute_seconds", "Time to compute", ["context"], registry=registry
        )
        self.invalidations = p.Counter(
            "mizan_context_invalidations",
            "invalidate() calls",
            ["context", "source"],
            registry=registry,
        )
        self.operations = p.Counter(
            "mizan_operations",
            "GraphQL operations",
            ["operation", "type", "path", "persisted"],
            registry=registry,
        )
        self.operation_time = p.Histogram(
            "mizan_operation_seconds", "Time to run an operation", ["operation"], registry=registry
        )
        self.purges = p.Counter(
            "mizan_edge_purges", "Edge purger calls", ["purger", "outcome"], registry=registry
        )
        self.connections = p.Counter(
            "mizan_websocket_connections", "WebSockets opened", registry=registry
        )
        self.open_connections = p.Gauge(
            "mizan_websocket_open", "WebSockets open now", registry=registry
        )
        self.subscriptions = p.Counter(
            "mizan_subscriptions", "Subscriptions started", ["subscription"], registry=registry
        )
        self.active_subscriptions = p.Gauge(
            "mizan_subscriptions_active",
            "Subscriptions streaming now",
            ["subscription"],
            registry=registry,
        )
        self.deliveries = p.Counter(
            "mizan_fanout_deliveries",
            "Layer messages handed to local subscriptions",
            ["message_type"],
            registry=registry,
        )

    def on_read(self, sender: Any, **kw: Any) -> None:
        key = (kw["context"], "hit" if kw["hit"] else "miss", kw["source"])
        child = self.read_children.get(key)
        if child is None:
            child = self.read_children[key] = self.reads.labels(*key)
        child.inc()

    def on_computed(self, sender: Any, **kw: Any) -> None:
        self.computes.labels(kw["context"]).inc()
        self.compute_time.labels(kw["context"]).observe(kw["duration"])

    def on_invalidated(self, sender: Any, **kw: Any) -> None:
        source = kw["source"].split(" ", 1)[0]
        self.invalidations.labels(kw["invalidation"].context, source).inc()

    def on_operation(self, sender: Any, **kw: Any) -> None:
        name = _operation(kw["name"])
        persisted = "true" if kw["persisted"] else "false"
        self.operations.labels(name, kw["operation_type"] or "none", kw["path"], persisted).inc()
        self.operation_time.labels(name).observe(kw["duration"])

    def on_purged(self, sender: Any, **kw: Any) -> None:
        self.purges.labels(kw["purger"], kw["outcome"]).inc()

    def on_websocket_opened(self, sender: Any, **kw: Any) -> None:
        self.connections.inc()
        self.open_connections.inc()

    def on_websocket_closed(self, sender: Any, **kw: Any) -> None:
        self.open_connections.dec()

    def on_subscription_started(self, sender: Any, **kw: Any) -> None:
        self.subscriptions.labels(kw["subscription"]).inc()
        self.active_subscriptions.labels(kw["subscription"]).inc()

    def on_subscription_ended(self, sender: Any, **kw: Any) -> None:
        self.active_subscriptions.labels(kw["subscription"]).dec()

    def on_fanout(self, sender: Any, **kw: Any) -> None:
        if kw["deliveries"]:
            self.deliveries.labels(str(kw["message_type"])).inc(kw["deliveries"])


_installed: list[_Receivers] = []


def install_metrics() -> list[_Receivers]:
    """Connect the metrics of every installed library, once per process."""
    if not _installed:
        if otel_metrics is not None:
            _installed.append(OpenTelemetryMetrics())
        if prometheus_client is not None:
            _installed.append(PrometheusMetrics())
        for metrics in _installed:
            metrics.connect()
    return list(_installed)
