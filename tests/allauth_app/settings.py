"""The test project with the allauth integration installed the way docs/allauth.md says.

Used by the subprocess tests of the set-up (``manage.py check`` / ``export_schema``); the
in-process tests register the same operations in a fresh registry instead, so the other
areas' schema snapshots stay as they are.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "mizan_gql.contrib.allauth"]
ROOT_URLCONF = "tests.allauth_app.urls"
