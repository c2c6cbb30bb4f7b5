from django.apps import AppConfig

from mizan_gql.plugins import register_plugin

from .plugin import AUDIT_PLUGIN


class AuditConfig(AppConfig):
    name = "tests.plugin_app"
    label = "plugin_app"

    def ready(self) -> None:
        register_plugin(AUDIT_PLUGIN)
