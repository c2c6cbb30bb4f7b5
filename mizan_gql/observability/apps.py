"""The ``mizan_gql.observability`` app: its plugin, the admin's counters and the metrics."""

from django.apps import AppConfig

from ..plugins import register_plugin
from .counters import COUNTERS
from .metrics import install_metrics
from .plugin import OBSERVABILITY


class ObservabilityConfig(AppConfig):
    name = "mizan_gql.observability"
    label = "mizan_gql_observability"
    verbose_name = "mizan_gql"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        register_plugin(OBSERVABILITY)
        COUNTERS.connect()
        install_metrics()
