"""Metrics of a scripted sequence, read back exactly: OpenTelemetry through the SDK's
in-memory reader, prometheus_client through a registry of the test's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from prometheus_client import CollectorRegistry

from mizan_gql import invalidate
from mizan_gql.observability.metrics import (
    OpenTelemetryMetrics,
    PrometheusMetrics,
    install_metrics,
)

from .conftest import PROFILE, RENAME, graphql

pytestmark = pytest.mark.django_db


def script(client) -> None:
    # A document text no other test sends: its first run takes Strawberry's path, the next
    # ones the prepared path (the schema validated it).
    profile = f"{PROFILE}\n# {uuid.uuid4()}"
    graphql(client, profile, id=5)  # miss + compute
    graphql(client, profile, id=5)  # hit
    graphql(client, profile, id=7)  # miss + compute
    graphql(client, RENAME, id=5, name="Eve")  # mutation: invalidates ctx_user;user_id=5
    graphql(client, profile, id=5)  # miss + compute
    invalidate("ctx_user")  # from code
    assert client.get("/graphql/ctx/ctx_user/?user_id=7").status_code == 200  # miss (fields)
    assert client.get("/graphql/ctx/ctx_user/?user_id=7").status_code == 200  # endpoint hit


@pytest.fixture
def otel() -> Iterator[InMemoryMetricReader]:
    reader = InMemoryMetricReader()
    metrics = OpenTelemetryMetrics(MeterProvider(metric_readers=[reader]))
    metrics.connect()
    yield reader
    metrics.disconnect()


def points(reader: InMemoryMetricReader) -> dict[str, dict[tuple, float]]:
    """metric name -> {sorted attribute items: value (counters) or count (histograms)}."""
    found: dict[str, dict[tuple, float]] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    key = tuple(sorted(point.attributes.items()))
                    value = getattr(point, "value", None)
                    found.setdefault(metric.name, {})[key] = point.count if value is None else value
    return found


def test_opentelemetry_counts(client, otel):
    script(client)
    got = points(otel)
    reads = {
        (dict(k)["context"], dict(k)["result"], dict(k)["source"]): v
        for k, v in got["mizan.context.reads"].items()
    }
    # ctxProfile and ctxProfileTags both read on the endpoint's miss (one operation).
    assert reads == {
        ("ctx_user", "miss", "field"): 5,
        ("ctx_user", "hit", "field"): 1,
        ("ctx_user", "hit", "endpoint"): 1,
    }
    assert got["mizan.context.computes"] == {(("context", "ctx_user"),): 5}
    assert got["mizan.context.compute.duration"] == {(("context", "ctx_user"),): 5}
    assert got["mizan.context.invalidations"] == {
        (("context", "ctx_user"), ("source", "mutation")): 1,
        (("context", "ctx_user"), ("source", "code")): 1,
    }
    operations = {
        (dict(k)["operation"], dict(k)["type"], dict(k)["path"]): v
        for k, v in got["mizan.operations"].items()
    }
    # A document seen before runs as a prepared query; the context endpoint executes its
    # generated operation on a miss only.
    assert operations == {
        ("Profile", "query", "full"): 1,
        ("Profile", "query", "prepared"): 3,
        ("Rename", "mutation", "full"): 1,
        ("CtxUserContext", "query", "full"): 1,
    }
    assert "mizan.edge.purges" not in got  # no purger configured


def test_prometheus_counts(client):
    registry = CollectorRegistry()
    metrics = PrometheusMetrics(registry)
    metrics.connect()
    try:
        script(client)
    finally:
        metrics.disconnect()

    def value(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    assert (
        value("mizan_context_reads_total", context="ctx_user", result="miss", source="field") == 5
    )
    assert value("mizan_context_reads_total", context="ctx_user", result="hit", source="field") == 1
    assert (
        value("mizan_context_reads_total", context="ctx_user", result="hit", source="endpoint") == 1
    )
    assert value("mizan_context_computes_total", context="ctx_user") == 5
    assert value("mizan_context_compute_seconds_count", context="ctx_user") == 5
    assert value("mizan_context_invalidations_total", context="ctx_user", source="mutation") == 1
    assert value("mizan_context_invalidations_total", context="ctx_user", source="code") == 1
    assert (
        value(
            "mizan_operations_total",
            operation="Profile",
            type="query",
            path="full",
            persisted="false",
        )
        == 1
    )
    assert (
        value(
            "mizan_operations_total",
            operation="Profile",
            type="query",
            path="prepared",
            persisted="false",
        )
        == 3
    )


def test_the_app_installs_both_libraries_once():
    installed = install_metrics()
    assert [type(m) for m in installed] == [OpenTelemetryMetrics, PrometheusMetrics]
    assert install_metrics() == installed
