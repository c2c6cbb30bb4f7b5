"""The test project plus an app whose mizan_clients module has a mistake."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.commands.broken_app"]
