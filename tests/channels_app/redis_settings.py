"""Settings of the server processes in the cross-process test: channels_redis on Redis.

MIZAN_TEST_REDIS_PREFIX keeps each test's keys apart (it includes the xdist worker id).
"""

import os

from tests.settings import *  # noqa: F403

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": os.environ.get("MIZAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
                    # redis-py >= 8 times reads out after 5 s by default, exactly the
                    # BZPOPMIN timeout of channels_redis: give the blocking read room.
                    "socket_timeout": 15,
                }
            ],
            "prefix": os.environ.get("MIZAN_TEST_REDIS_PREFIX", "mizan-test"),
        },
    }
}
ASGI_APPLICATION = "tests.channels_app.asgi.application"
