"""System checks for the WebSocket side: a channels_redis set-up that drops idle sockets."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core import checks

# channels_redis waits for messages with BZPOPMIN and this timeout (RedisChannelLayer).
BLOCKING_READ_SECONDS = 5


def check_channel_layers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _redis_major() < 8:
        return []
    messages: list[checks.CheckMessage] = []
    for alias, config in sorted((getattr(settings, "CHANNEL_LAYERS", None) or {}).items()):
        if not str(config.get("BACKEND", "")).endswith("channels_redis.core.RedisChannelLayer"):
            continue
        hosts = (config.get("CONFIG") or {}).get("hosts") or ["redis://localhost:6379"]
        if any(_too_short(host) for host in hosts):
            messages.append(
                checks.Warning(
                    f"CHANNEL_LAYERS[{alias!r}]: redis-py {_redis_version()} gives up reading "
                    f"after 5 seconds by default, the time channels_redis blocks waiting for "
                    "a message, so idle WebSockets fail with 'Timeout reading from Redis'.",
                    hint='Write the host as {"address": "redis://...", "socket_timeout": 15} '
                    "(more than 5 seconds).",
                    id="mizan_gql.W053",
                )
            )
    return messages


def _too_short(host: Any) -> bool:
    if isinstance(host, dict):
        if "socket_timeout" in host:
            timeout = host["socket_timeout"]
            return timeout is not None and timeout <= BLOCKING_READ_SECONDS
        host = host.get("address", "")
    if isinstance(host, str):
        query = parse_qs(urlsplit(host).query)
        if "socket_timeout" in query:
            try:
                return float(query["socket_timeout"][0]) <= BLOCKING_READ_SECONDS
            except ValueError:
                return True
    return True


def _redis_version() -> str:
    try:
        return version("redis")
    except PackageNotFoundError:
        return ""


def _redis_major() -> int:
    try:
        return int(_redis_version().split(".")[0])
    except ValueError:
        return 0
