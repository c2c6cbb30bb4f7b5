"""``manage.py check --deploy``: the set-ups that work on one development machine and fail
quietly in production - caches and channel layers of one process, Redis reads that never
time out, GraphiQL and introspection left on - are warnings with ids, and only there."""

from __future__ import annotations

import io
import re

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import override_settings

from mizan_gql.checks import (
    check_apq_store_deploy,
    check_channel_layers_deploy,
    check_context_cache_deploy,
    check_deploy_settings,
)

DEPLOY_IDS = {"W006", "W007", "W021", "W055", "W056", "W081"}
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DUMMY = "django.core.cache.backends.dummy.DummyCache"
REDIS = "django.core.cache.backends.redis.RedisCache"
REDIS_LAYER = "channels_redis.core.RedisChannelLayer"

PRODUCTION = {
    "DEBUG": False,
    "CACHES": {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/0"}},
    "CHANNEL_LAYERS": {
        "default": {
            "BACKEND": REDIS_LAYER,
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}]},
        }
    },
    "MIZAN": {},
}


def mizan_ids(deploy: bool) -> list[str]:
    """The mizan_gql ids ``manage.py check`` reports (warnings go to stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("check", deploy=deploy, stdout=stdout, stderr=stderr)
    return sorted(set(re.findall(r"\(mizan_gql\.(\w\d+)\)", stderr.getvalue())))


def output(deploy: bool = True) -> str:
    stderr = io.StringIO()
    call_command("check", deploy=deploy, stdout=io.StringIO(), stderr=stderr)
    return stderr.getvalue()


def test_a_production_set_up_has_no_deploy_warning():
    with override_settings(**PRODUCTION):
        assert DEPLOY_IDS.isdisjoint(mizan_ids(deploy=True))


def test_a_development_set_up_warns_only_with_deploy():
    # The test suite's own settings: LocMem, the in-memory layer; then DEBUG on.
    with override_settings(DEBUG=True, MIZAN={}):
        assert DEPLOY_IDS.isdisjoint(mizan_ids(deploy=False))
        assert {"W006", "W007", "W021", "W055", "W081"} <= set(mizan_ids(deploy=True))
        text = output()
    assert "(mizan_gql.W006) GraphiQL is served" in text
    assert "(mizan_gql.W055) CHANNEL_LAYERS['default'] is an InMemoryChannelLayer" in text


def test_graphiql_and_introspection_on():
    with override_settings(DEBUG=True, MIZAN={}):
        assert check_deploy_settings() == [
            checks.Warning(
                "GraphiQL is served: any visitor of /graphql gets an IDE to run operations "
                "against this server (DEBUG is True).",
                hint="Set MIZAN['GRAPHIQL'] = False, or leave it out with DEBUG = False in "
                "production.",
                id="mizan_gql.W006",
            ),
            checks.Warning(
                "Introspection is allowed: any client can download the whole schema, "
                "operations your front end never calls included (DEBUG is True).",
                hint="Set MIZAN['INTROSPECTION'] = False, or leave it out with DEBUG = False "
                "in production.",
                id="mizan_gql.W007",
            ),
        ]
    with override_settings(DEBUG=False, MIZAN={"INTROSPECTION": True}):
        [warning] = check_deploy_settings()
        assert warning.id == "mizan_gql.W007"
        assert warning.msg.endswith("(MIZAN['INTROSPECTION'] is True).")
    with override_settings(DEBUG=True, MIZAN={"GRAPHIQL": False, "INTROSPECTION": False}):
        assert check_deploy_settings() == []


@pytest.mark.parametrize(
    ("backend", "effect"),
    [
        (
            LOCMEM,
            "LocMemCache: each server process keeps its own context entries and versions, "
            "so invalidate() reaches only the process that calls it and the others serve "
            "stale entries until their ttl ends",
        ),
        (DUMMY, "DummyCache: context entries are never stored, so every request computes them"),
    ],
)
def test_a_context_cache_of_one_process(backend, effect):
    caches = {"default": {"BACKEND": LOCMEM}, "contexts": {"BACKEND": backend}}
    with override_settings(CACHES=caches, MIZAN={"CACHE": "contexts"}):
        assert check_context_cache_deploy() == [
            checks.Warning(
                f"The contexts' cache MIZAN['CACHE'] (CACHES['contexts']) is {effect}.",
                hint="Use a cache every process shares, such as "
                "django.core.cache.backends.redis.RedisCache (docs/contexts.md).",
                id="mizan_gql.W021",
            )
        ]
        assert "(mizan_gql.W021) The contexts' cache" in output()


def test_a_context_cache_without_contexts_is_not_a_concern():
    from mizan_gql.registry import use_registry

    with override_settings(CACHES={"default": {"BACKEND": LOCMEM}}), use_registry():
        assert check_context_cache_deploy() == []


@pytest.mark.parametrize(
    ("backend", "effect"),
    [
        (
            LOCMEM,
            "LocMemCache: each server process keeps the documents registered with it, so a "
            "client whose requests reach another process gets PersistedQueryNotFound and "
            "registers again (and has a registration budget in each process)",
        ),
        (
            DUMMY,
            "DummyCache: registered documents are never stored, so every hash-only request "
            "answers PersistedQueryNotFound",
        ),
    ],
)
def test_an_apq_store_of_one_process(backend, effect):
    caches = {"default": {"BACKEND": REDIS, "LOCATION": "redis://x/0"}, "apq": {"BACKEND": backend}}
    with override_settings(CACHES=caches, MIZAN={"APQ_CACHE": "apq"}):
        assert check_apq_store_deploy() == [
            checks.Warning(
                f"The APQ store (CACHES['apq']) is {effect}.",
                hint="Use a cache every process shares, such as "
                "django.core.cache.backends.redis.RedisCache, for MIZAN['APQ_CACHE'] (or "
                "MIZAN['CACHE']).",
                id="mizan_gql.W081",
            )
        ]
        assert "(mizan_gql.W081) The APQ store (CACHES['apq'])" in output()
    # Without APQ (trusted documents only, or off) the store is never used.
    for mode in ("trusted", "off"):
        with override_settings(
            CACHES=caches, MIZAN={"APQ_CACHE": "apq", "PERSISTED_QUERIES": mode}
        ):
            assert check_apq_store_deploy() == []


def test_an_in_memory_channel_layer():
    hint = (
        "With more than one server process, use channels_redis.core.RedisChannelLayer "
        "(docs/subscriptions.md)."
    )
    memory = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    with override_settings(CHANNEL_LAYERS=memory):
        assert check_channel_layers_deploy() == [
            checks.Warning(
                "CHANNEL_LAYERS['default'] is an InMemoryChannelLayer: broadcasts and "
                "invalidation events reach only the subscribers of the process that sends "
                "them.",
                hint=hint,
                id="mizan_gql.W055",
            )
        ]
    with override_settings(CHANNEL_LAYERS={}):  # mizan_gql then embeds one
        assert check_channel_layers_deploy() == [
            checks.Warning(
                "CHANNEL_LAYERS is not set, so mizan_gql uses an InMemoryChannelLayer: "
                "broadcasts and invalidation events reach only the subscribers of the process "
                "that sends them.",
                hint=hint,
                id="mizan_gql.W055",
            )
        ]
        assert "(mizan_gql.W055) CHANNEL_LAYERS is not set" in output()


@pytest.mark.parametrize(
    ("host", "redis_version", "warns"),
    [
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": None}, "8.1.0", True),
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": None}, "5.2.1", True),
        ("redis://127.0.0.1:6379/0", "5.2.1", True),  # redis-py before 8: no read timeout
        ({"address": "redis://127.0.0.1:6379/0"}, "5.2.1", True),
        ("redis://127.0.0.1:6379/0", "8.1.0", False),  # 5 s by default: W053's business
        ("redis://127.0.0.1:6379/0?socket_timeout=15", "5.2.1", False),
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}, "5.2.1", False),
    ],
)
def test_a_redis_layer_whose_reads_never_time_out(monkeypatch, host, redis_version, warns):
    monkeypatch.setattr("mizan_gql.channels.checks._redis_version", lambda: redis_version)
    layers = {"default": {"BACKEND": REDIS_LAYER, "CONFIG": {"hosts": [host]}}}
    with override_settings(CHANNEL_LAYERS=layers):
        expected = checks.Warning(
            "CHANNEL_LAYERS['default']: a host has no socket_timeout, so reads from a Redis "
            "that hangs never end: subscriptions wait silently instead of being closed with "
            "4503 for their clients to reconnect.",
            hint='Write the host as {"address": "redis://...", "socket_timeout": 15} (more '
            "than 5 seconds, channels_redis' blocking read).",
            id="mizan_gql.W056",
        )
        assert check_channel_layers_deploy() == ([expected] if warns else [])
        assert ("W056" in mizan_ids(deploy=True)) is warns
