from django.apps import AppConfig


class MizanGqlConfig(AppConfig):
    name = "mizan_gql"
    label = "mizan_gql"
    verbose_name = "mizan_gql"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .conf import mizan_settings
        from .registry.autodiscover import autodiscover

        if mizan_settings.AUTODISCOVER:
            autodiscover()
