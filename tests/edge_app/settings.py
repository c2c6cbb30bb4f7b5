"""Settings of the edge test project (served by daphne behind Varnish in tests/edge).

Environment knobs, set by the tests: ``EDGE_TEST_BASE_URL`` (the public origin, i.e. the
Varnish address), ``EDGE_TEST_PURGE`` (``""``: no purger; ``urls``/``tags``/``both``: a
VarnishPurger sending those, plus the LoggingPurger, which logs once the VarnishPurger is
done), ``EDGE_TEST_PURGE_SERVER`` (where the VarnishPurger sends its PURGEs, default: the
base URL), ``EDGE_TEST_BACKOFF`` (seconds before the first retry of a failed purge) and
``EDGE_TEST_APP_ORDER=reversed`` (install the apps the other way round: the manifest must
not change).
"""

import os

SECRET_KEY = "edge-tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
ROOT_URLCONF = "tests.edge_app.urls"
_APPS = ["tests.edge_app", "tests.edge_app.shop"]
if os.environ.get("EDGE_TEST_APP_ORDER") == "reversed":
    _APPS.reverse()
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "mizan_gql",
    *_APPS,
]
MIDDLEWARE = [
    "mizan_gql.edge.EdgePurgeMiddleware",
    "tests.edge_app.views.OriginLog",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
ASGI_APPLICATION = "tests.edge_app.asgi.application"

_BASE_URL = os.environ.get("EDGE_TEST_BASE_URL", "")
_PURGE = os.environ.get("EDGE_TEST_PURGE", "")
_PURGERS: list = []
if _PURGE:
    _PURGERS = [
        {
            "BACKEND": "mizan_gql.edge.VarnishPurger",
            "OPTIONS": {
                "servers": [os.environ.get("EDGE_TEST_PURGE_SERVER") or _BASE_URL],
                "urls": _PURGE in ("urls", "both"),
                "tags": _PURGE in ("tags", "both"),
                "timeout": 5,
            },
        },
        "mizan_gql.edge.LoggingPurger",
    ]
MIZAN = {
    "EDGE_BASE_URL": _BASE_URL,
    "EDGE_PURGERS": _PURGERS,
    "EDGE_PURGE_BACKOFF": float(os.environ.get("EDGE_TEST_BACKOFF") or 1),
    "VIEW_URLS": {"catalog_feed": "/feed/?category=:category&page=:page"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(name)s %(levelname)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "mizan_gql.edge": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": [], "propagate": False},
    },
}
