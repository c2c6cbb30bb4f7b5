"""System checks of the channel layer: sockets that fail when idle (W053), memberships
shorter than a socket's life (W054); with ``--deploy``, a layer of one process (W055) and
reads that never time out (W056)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import parse_qs, urlsplit

from channels import DEFAULT_CHANNEL_LAYER
from django.conf import settings
from django.core import checks

from ..constants import CLOSE_LAYER_LOST

# channels_redis waits for messages with BZPOPMIN and this timeout (RedisChannelLayer).
BLOCKING_READ_SECONDS = 5

# How long a WebSocket may stay open (docs/subscriptions.md): daphne's default
# --websocket_timeout, one day, which is also channels_redis' default group_expiry.
SOCKET_LIFETIME = 86400

REDIS_LAYERS = (
    "channels_redis.core.RedisChannelLayer",
    "channels_redis.pubsub.RedisPubSubChannelLayer",
)
IN_MEMORY_LAYER = "channels.layers.InMemoryChannelLayer"
# Layers that forget a group membership group_expiry seconds after it was added.
EXPIRING_LAYERS = ("channels_redis.core.RedisChannelLayer", IN_MEMORY_LAYER)


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


def check_group_expiry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when a layer forgets memberships before a socket may close."""
    messages: list[checks.CheckMessage] = []
    for alias, config in _layers():
        if str(config.get("BACKEND", "")) not in EXPIRING_LAYERS:
            continue
        expiry = (config.get("CONFIG") or {}).get("group_expiry", SOCKET_LIFETIME)
        if isinstance(expiry, bool) or not isinstance(expiry, (int, float)):
            continue
        if expiry < SOCKET_LIFETIME:
            messages.append(
                checks.Warning(
                    f"CHANNEL_LAYERS[{alias!r}]: group_expiry is {expiry} seconds, shorter than "
                    f"a WebSocket may stay open ({SOCKET_LIFETIME} seconds, daphne's default "
                    "--websocket_timeout). mizan_gql's subscriptions join their groups again "
                    "in time, but a Channels consumer or a listen_to_channel() subscription of "
                    f"yours stops receiving broadcasts {expiry} seconds after it joined.",
                    hint=f"Raise group_expiry to {SOCKET_LIFETIME} (the default) or more, or "
                    "silence mizan_gql.W054 if every subscription goes through mizan_gql.",
                    id="mizan_gql.W054",
                )
            )
    return messages


def check_channel_layers_deploy(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """(``check --deploy``) A layer that only one process sees; Redis reads that hang."""
    layers = dict(_layers())
    default = layers.get(DEFAULT_CHANNEL_LAYER) or {}
    messages: list[checks.CheckMessage] = []
    if not layers:
        what = "CHANNEL_LAYERS is not set, so mizan_gql uses an InMemoryChannelLayer"
    elif str(default.get("BACKEND", "")) == IN_MEMORY_LAYER:
        what = f"CHANNEL_LAYERS[{DEFAULT_CHANNEL_LAYER!r}] is an InMemoryChannelLayer"
    else:
        what = ""
    if what:
        messages.append(
            checks.Warning(
                f"{what}: broadcasts and invalidation events reach only the subscribers of "
                "the process that sends them.",
                hint="With more than one server process, use "
                "channels_redis.core.RedisChannelLayer (docs/subscriptions.md).",
                id="mizan_gql.W055",
            )
        )
    for alias, config in layers.items():
        if str(config.get("BACKEND", "")) not in REDIS_LAYERS:
            continue
        hosts = (config.get("CONFIG") or {}).get("hosts") or ["redis://localhost:6379"]
        if any(_never_times_out(host) for host in hosts):
            messages.append(
                checks.Warning(
                    f"CHANNEL_LAYERS[{alias!r}]: a host has no socket_timeout, so reads "
                    "from a Redis that hangs never end: subscriptions wait silently instead "
                    f"of being closed with {CLOSE_LAYER_LOST} for their clients to reconnect.",
                    hint='Write the host as {"address": "redis://...", "socket_timeout": 15} '
                    f"(more than {BLOCKING_READ_SECONDS} seconds, channels_redis' blocking read).",
                    id="mizan_gql.W056",
                )
            )
    return messages


def _layers() -> list[tuple[str, dict[str, Any]]]:
    return sorted((getattr(settings, "CHANNEL_LAYERS", None) or {}).items())


def _socket_timeout(host: Any) -> tuple[bool, Any]:
    """Whether ``host`` sets a socket_timeout, and its value."""
    if isinstance(host, dict):
        if "socket_timeout" in host:
            return True, host["socket_timeout"]
        host = host.get("address", "")
    if isinstance(host, str):
        query = parse_qs(urlsplit(host).query)
        if "socket_timeout" in query:
            return True, query["socket_timeout"][0]
    return False, None


def _never_times_out(host: Any) -> bool:
    given, timeout = _socket_timeout(host)
    if given:
        return timeout is None
    return _redis_major() < 8  # redis-py 8 reads for 5 seconds by default (W053)


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
