"""The codegen test project on channels_redis (``MIZAN_TEST_REDIS_URL``), for the test of
the generated client reconnecting after the server lost its layer (tests/codegen)."""

import os

from tests.codegen_app.settings import *  # noqa: F403

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": os.environ["MIZAN_TEST_REDIS_URL"], "socket_timeout": 15}]
        },
    }
}
