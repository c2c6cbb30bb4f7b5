"""The integration installed without django-allauth's apps: a set-up mistake."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [
    *(app for app in INSTALLED_APPS if not app.startswith("allauth")),
    "mizan_gql.contrib.allauth",
]
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("allauth")]
