"""The test project behind real servers sharing one Redis cache (test_context_asgi_servers)."""

import os

from tests.settings import *  # noqa: F403

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mizan_gql.http.ContextCacheMiddleware",
    *MIDDLEWARE,  # noqa: F405
    "django.middleware.common.CommonMiddleware",
]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": os.environ.get("MIZAN_TEST_CACHE_PREFIX", "mizan-test"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
