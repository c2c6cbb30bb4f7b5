"""The test project with a third-party app that adds a mizan_gql plugin from its ready()."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]  # noqa: F405
AUDIT_RETENTION_DAYS = 0  # so that the plugin's check has something to say
