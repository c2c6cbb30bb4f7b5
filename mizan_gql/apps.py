"""The ``mizan_gql`` app: registers mizan_gql's feature plugins, in a fixed order."""

from django.apps import AppConfig
from django.core import checks

from .channels import ChannelsPlugin
from .conf import mizan_settings
from .conf_checks import check_settings
from .contexts import ContextsPlugin
from .csrf import CSRFPlugin
from .edge import EdgePlugin
from .forms import FormsPlugin
from .persisted import PersistedQueriesPlugin
from .plugins import register_plugin
from .registry.autodiscover import autodiscover
from .schema.functions import FunctionsPlugin

# mizan_gql's features; each plugin's ``order`` fixes its place among all plugins (a
# third-party app's plugin included), which orders the schema extensions.
FEATURES = (
    PersistedQueriesPlugin,
    FunctionsPlugin,
    ChannelsPlugin,
    CSRFPlugin,
    FormsPlugin,
    ContextsPlugin,
    EdgePlugin,
)


class MizanGqlConfig(AppConfig):
    name = "mizan_gql"
    label = "mizan_gql"
    verbose_name = "mizan_gql"

    def ready(self) -> None:
        checks.register(check_settings, "mizan_gql")
        for feature in FEATURES:
            register_plugin(feature())
        if mizan_settings.AUTODISCOVER:
            autodiscover()
