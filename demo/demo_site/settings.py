"""Settings of the demo site: SQLite, LocMem cache, in-memory channel layer by default.

Set ``MIZAN_DEMO_BACKEND=redis`` to use Redis (``REDIS_URL``, default 127.0.0.1:6379/0) for
the cache and the channel layer and PostgreSQL (``PGDATABASE``, default ``mizan_demo``, on
``PGHOST``:``PGPORT``, default 127.0.0.1:5432) for the data; see demo/README.md.
``MIZAN_DEMO_PGDATABASE=<name>`` keeps the default backend but puts the data in that
PostgreSQL database (the test suite's PostgreSQL run does).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
USE_TZ = True

INSTALLED_APPS = [
    "daphne",  # `runserver` serves ASGI (HTTP + WebSocket)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "mizan_gql",
    "core",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Public context hits (GET /graphql/ctx/<context>/) answered before sessions and auth.
    "mizan_gql.http.ContextCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "demo_site.urls"
ASGI_APPLICATION = "demo_site.asgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.demo",
            ]
        },
    }
]
STATIC_URL = "static/"
# The front end (frontend/) is bundled into core/static/core/app/ by `rundemo`, so the app
# directories finder serves it even when it is built after start-up.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

_PGDATABASE = os.environ.get("MIZAN_DEMO_PGDATABASE", "")
if os.environ.get("MIZAN_DEMO_BACKEND") == "redis" or _PGDATABASE:
    # Needs a PostgreSQL driver: `uv run --with "psycopg[binary]" python demo/manage.py rundemo`.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _PGDATABASE or os.environ.get("PGDATABASE", "mizan_demo"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MIZAN_DEMO_DB", BASE_DIR / "demo.sqlite3"),
        }
    }

if os.environ.get("MIZAN_DEMO_BACKEND") == "redis":
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mizan-demo",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # Above channels_redis' 5 s blocking read, so idle sockets stay open (W053).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": "mizan-demo",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

MIZAN = {"DEFAULT_TTL": 60}

if os.environ.get("MIZAN_DEMO_TOOLBAR") == "1":
    # Django Debug Toolbar with mizan_gql's panel (pip install "mizan-gql[debug]"):
    # `MIZAN_DEMO_TOOLBAR=1 python demo/manage.py rundemo`.
    from debug_toolbar.settings import PANELS_DEFAULTS

    INSTALLED_APPS += ["debug_toolbar", "mizan_gql.observability"]
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]
    DEBUG_TOOLBAR_PANELS = [*PANELS_DEFAULTS, "mizan_gql.observability.panel.MizanPanel"]
    # fetch() requests (the app's /graphql POSTs) replace the toolbar's request.
    DEBUG_TOOLBAR_CONFIG = {"UPDATE_ON_FETCH": True}
