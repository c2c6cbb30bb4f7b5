"""System checks of persisted queries: the APQ store is bounded (``mizan_gql.W080``) and
shared (``W081``, deploy); trusted manifests are readable (``E084``) and their documents
validate (``E085``)."""

from __future__ import annotations

import os
import re
from typing import Any

from django.conf import settings
from django.core import checks
from graphql import GraphQLError, GraphQLSchema, parse, validate

from ..conf import mizan_settings
from ..conf_checks import unshared_cache_warning
from ..exceptions import MizanError
from ..schema import get_schema
from ..schema.engine.private import graphql_schema as graphql_schema_of
from .manifests import ManifestDocument
from .store import apq_cache_alias
from .trusted import read_manifests

try:
    import redis
except ImportError:  # without the "redis" extra no Redis cache can be configured
    redis = None  # type: ignore[assignment]

__all__ = [
    "LOCAL_CACHES",
    "REDIS_CACHES",
    "check_apq_eviction",
    "check_apq_store_deploy",
    "check_trusted_documents",
]

REDIS_CACHES = ("django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache")
# What each cache that lives in one process means for the APQ store.
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": (
        "LocMemCache: each server process keeps the documents registered with it, so a "
        "client whose requests reach another process gets PersistedQueryNotFound and "
        "registers again (and has a registration budget in each process)"
    ),
    "django.core.cache.backends.dummy.DummyCache": (
        "DummyCache: registered documents are never stored, so every hash-only request "
        "answers PersistedQueryNotFound"
    ),
}


def check_apq_eviction(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when APQ entries never expire and their Redis never evicts them."""
    if mizan_settings.PERSISTED_QUERIES != "apq" or mizan_settings.APQ_TTL is not None:
        return []
    alias = apq_cache_alias()
    config = settings.CACHES.get(alias) or {}
    memory = _maxmemory(config)
    if memory is None:
        return []
    policy, maxmemory = memory
    if policy.startswith("allkeys-") and maxmemory > 0:
        return []
    return [
        checks.Warning(
            f"The APQ store (CACHES[{alias!r}]) is a Redis server that never evicts its "
            f"entries (maxmemory-policy {policy!r}, maxmemory {maxmemory}) and "
            "MIZAN['APQ_TTL'] is None: clients can register documents until Redis runs out "
            "of memory.",
            hint="Set MIZAN['APQ_TTL'] to a number of seconds (the default is 86400), or "
            "give this Redis a maxmemory and an allkeys-lru or allkeys-lfu policy.",
            id="mizan_gql.W080",
        )
    ]


def check_apq_store_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """(``check --deploy``) Warn when the APQ store lives in one process, or nowhere."""
    if mizan_settings.PERSISTED_QUERIES != "apq":
        return []
    return unshared_cache_warning(
        apq_cache_alias(),
        "The APQ store",
        LOCAL_CACHES,
        hint=", for MIZAN['APQ_CACHE'] (or MIZAN['CACHE']).",
        id="mizan_gql.W081",
    )


def _maxmemory(config: dict[str, Any]) -> tuple[str, int] | None:
    """The eviction policy and memory limit of a Redis cache; None for other caches or
    when the server does not answer (then other checks and the first request tell)."""
    if redis is None or config.get("BACKEND") not in REDIS_CACHES:
        return None
    location = config.get("LOCATION")
    # Django's RedisCache writes to the first of several servers.
    servers = re.split("[;,]", location) if isinstance(location, str) else location
    if not servers:
        return None
    options = config.get("OPTIONS") or {}
    password = options.get("password") or options.get("PASSWORD")
    try:
        client = redis.Redis.from_url(
            str(servers[0]).strip(),
            password=password,
            socket_connect_timeout=1,
            socket_timeout=1,
        )
        try:
            found = client.config_get("maxmemory*")
        finally:
            client.close()
        return str(found["maxmemory-policy"]), int(str(found["maxmemory"]))
    except Exception:  # unreachable, CONFIG disabled (managed Redis), an odd reply
        return None


def check_trusted_documents(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Each manifest of ``MIZAN["TRUSTED_DOCUMENTS"]`` is readable (``E084``) and each of
    its documents validates against the schema (``E085``, naming the document)."""
    if not mizan_settings.TRUSTED_DOCUMENTS:
        return []
    messages: list[checks.CheckMessage] = [
        checks.Error(
            f"MIZAN['TRUSTED_DOCUMENTS'][{index}] is {entry!r}, not a path.",
            hint="List the manifest files as strings or pathlib.Path objects.",
            id="mizan_gql.E084",
        )
        for index, entry in enumerate(mizan_settings.TRUSTED_DOCUMENTS)
        if not isinstance(entry, (str, os.PathLike))
    ]
    try:
        graphql_schema: GraphQLSchema | None = graphql_schema_of(get_schema())
    except MizanError:  # the schema's own checks say why
        graphql_schema = None
    for manifest in read_manifests():
        messages.extend(
            checks.Error(
                f"MIZAN['TRUSTED_DOCUMENTS']: {manifest.path} {problem}.",
                hint="List manifest files written by Apollo's generate-persisted-query-"
                "manifest, GraphQL Code Generator's client preset (persistedDocuments), "
                "Relay's compiler (persistConfig) or `manage.py export_persisted_queries`.",
                id="mizan_gql.E084",
            )
            for problem in manifest.problems
        )
        if graphql_schema is None:
            continue
        for document in manifest.documents:
            errors = _document_errors(graphql_schema, document.text)
            if errors:
                messages.append(
                    checks.Error(
                        f"MIZAN['TRUSTED_DOCUMENTS']: the document {_label(document)} of "
                        f"{manifest.path} does not validate against the schema: "
                        + "; ".join(errors[:3]),
                        hint="Regenerate the manifest from the client's current documents, "
                        "or fix the document; it is refused until then.",
                        id="mizan_gql.E085",
                    )
                )
    return messages


def _document_errors(graphql_schema: GraphQLSchema, text: str) -> list[str]:
    try:
        document = parse(text)
    except GraphQLError as error:
        return [error.message]
    return [error.message for error in validate(graphql_schema, document)]


def _label(document: ManifestDocument) -> str:
    parts = [repr(document.name)] if document.name else []
    if document.id:
        parts.append(f"(id {document.id})")
    return " ".join(parts) or repr(document.text[:60])
