"""The ``mizan_gql`` app: registers mizan_gql's feature plugins, in a fixed order."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.core import checks

from .auth import sessions_end_on_logout
from .channels.plugin import CHANNELS
from .checks import check_graphiql, check_toolbar_panel, check_urls
from .conf import mizan_settings
from .conf_checks import check_deploy_settings, check_settings
from .contexts.plugin import CONTEXTS
from .csrf import CSRF
from .edge.plugin import EDGE
from .forms.plugin import FORMS
from .persisted.plugin import PERSISTED_QUERIES
from .plugins import register_plugin
from .registry.autodiscover import autodiscover
from .schema.checks import check_registry
from .schema.functions import FUNCTIONS

# mizan_gql's features; each plugin's ``order`` fixes its place among all plugins (a
# third-party app's plugin included), which orders the schema extensions.
FEATURES = (PERSISTED_QUERIES, FUNCTIONS, CHANNELS, CSRF, FORMS, CONTEXTS, EDGE)


class MizanGqlConfig(AppConfig):
    name = "mizan_gql"
    label = "mizan_gql"
    verbose_name = "mizan_gql"

    def ready(self) -> None:
        checks.register(check_settings, "mizan_gql")
        checks.register(check_deploy_settings, "mizan_gql", deploy=True)
        checks.register(check_registry, "mizan_gql")
        checks.register(check_urls, "mizan_gql", checks.Tags.urls)
        checks.register(check_graphiql, "mizan_gql", checks.Tags.staticfiles)
        checks.register(check_toolbar_panel, "mizan_gql")
        for feature in FEATURES:
            register_plugin(feature)
        user_logged_out.connect(sessions_end_on_logout, dispatch_uid="mizan_gql.logout")
        if mizan_settings.AUTODISCOVER:
            autodiscover()
