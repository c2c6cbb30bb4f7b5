"""Settings of the fan-out benchmark server: the bench project plus Channels.

``BENCH_LAYER=redis`` uses channels_redis on 127.0.0.1:6379 (prefix ``BENCH_PREFIX``).
"""

import os

from bench.settings import *  # noqa: F403
from bench.settings import INSTALLED_APPS

INSTALLED_APPS = ["channels", *INSTALLED_APPS]
ASGI_APPLICATION = "bench.fanout_asgi.application"
if os.environ.get("BENCH_LAYER") == "redis":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": "redis://127.0.0.1:6379/0",
                        "socket_timeout": 15,
                        # The plain consumer's group_add/discard per socket needs a Redis
                        # connection each: with redis-py's default pool size, a hundred
                        # sockets connecting at once fail with MaxConnectionsError.
                        "max_connections": 5000,
                    }
                ],
                "prefix": os.environ.get("BENCH_PREFIX", "mizan-bench"),
                "capacity": 100_000,
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 100_000},
        }
    }
MIZAN = {"WS_MAX_MESSAGE_SIZE": 65536}
