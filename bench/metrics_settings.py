"""The benchmark project with everything mizan_gql.observability records: its live counters
in the cache, OpenTelemetry metrics (the SDK, with a reader) and prometheus_client."""

from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from bench.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "mizan_gql.observability"]  # noqa: F405

# A real SDK aggregating every data point (the reader is only read when asked).
metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))
