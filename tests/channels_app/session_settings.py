"""Settings of server processes that sign users in over HTTP (tests/channels/test_sessions.py).

The database is a file (``MIZAN_TEST_DB``) that every process of a test shares, sessions
are in it unless ``MIZAN_TEST_SESSIONS=cache``. With ``MIZAN_TEST_REDIS_URL``, the cache
(sessions included, then) and the channel layer are on that Redis, so several processes
share them; without it, each process has its own in-memory cache and layer.
"""

import os

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.channels_app.urls"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["MIZAN_TEST_DB"]}
}
ASGI_APPLICATION = "tests.channels_app.asgi.application"

REDIS_URL = os.environ.get("MIZAN_TEST_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": 5},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
if os.environ.get("MIZAN_TEST_SESSIONS") == "cache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Sockets may also sign in with a token in connectionParams (tests/websocket).
MIZAN = {"WS_AUTHENTICATE": "tests.websocket_app.auth.token_user"}
