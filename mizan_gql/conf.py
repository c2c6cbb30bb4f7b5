"""The ``MIZAN`` settings dict: defaults, one accessor, reset under ``override_settings``."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["DEFAULTS", "SETTING_TYPES", "mizan_settings"]

# key: (default, accepted types). ``None`` defaults follow ``settings.DEBUG``.
DEFAULTS: dict[str, Any] = {
    # Alias in settings.CACHES used for context entries and persisted queries.
    "CACHE": "default",
    # Seconds a context entry lives when its function gives no ``ttl``.
    "DEFAULT_TTL": 300,
    # "apq" (any document, Apollo APQ allowed), "trusted" (generated documents only), "off".
    "PERSISTED_QUERIES": "apq",
    # Serve GraphiQL on GET /graphql from a browser. None: follow DEBUG.
    "GRAPHIQL": None,
    # Allow introspection queries. None: follow DEBUG.
    "INTROSPECTION": None,
    # Reject documents nested deeper than this (fragments are followed).
    "MAX_DEPTH": 15,
    # Reject documents with more aliases than this.
    "MAX_ALIASES": 30,
    # Reject documents with more lexical tokens than this.
    "MAX_TOKENS": 2000,
    # security: reject documents longer than this many bytes, before parsing them.
    "MAX_DOCUMENT_SIZE": 32768,
    # security: reject documents using more directives than this (fragments expanded).
    "MAX_DIRECTIVES": 50,
    # security: stop validating a document after this many errors.
    "MAX_VALIDATION_ERRORS": 20,
    # Replace unexpected errors by "Internal server error". None: not DEBUG.
    "MASK_ERRORS": None,
    # Absolute origin prepended to URLs in the edge manifest, e.g. "https://example.com".
    "EDGE_BASE_URL": "",
    # View name -> URL pattern, overriding what is derived from the URLconf.
    "VIEW_URLS": {},
    # Edge purgers called after a request that invalidated contexts (needs
    # "mizan_gql.edge.EdgePurgeMiddleware"): dotted paths or {"BACKEND": path, "OPTIONS": {}}.
    "EDGE_PURGERS": [],
    # Strawberry schema extensions (classes, instances or dotted paths) added to ours.
    "SCHEMA_EXTENSIONS": [],
    # Your own Strawberry root types (class or dotted path) merged with the mizan fields.
    "QUERY": None,
    "MUTATION": None,
    "SUBSCRIPTION": None,
    # Extra Strawberry types to include in the schema (classes or dotted paths).
    "TYPES": [],
    # Import ``mizan_clients`` modules of installed apps when the schema is built.
    "AUTODISCOVER": True,
    # Accept GraphQL multipart requests (file uploads); forms with FileField/ImageField
    # need it. Multipart mutations also need a preflight-forcing header (docs/forms.md).
    "UPLOADS": False,
    # WebSocket: seconds a client has to send connection_init (then closed with 4408).
    "WS_CONNECTION_INIT_TIMEOUT": 10,
    # WebSocket: operations running at once on one connection (completed ones do not count).
    "WS_MAX_SUBSCRIPTIONS": 100,
    # WebSocket: largest frame accepted, in bytes (bigger: closed with 1009).
    "WS_MAX_MESSAGE_SIZE": 65536,
    # WebSocket: seconds between re-reads of a signed-in subscriber's session, so a logout
    # stops deliveries; checked when a message arrives. None: never re-check.
    "WS_AUTH_RECHECK": 30,
    # mizan_gql.contrib.allauth: serve its ``current_user`` global context. False: your own
    # ``current_user`` function serves it (the account mutations still invalidate it).
    "ALLAUTH_CURRENT_USER": True,
}

SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "CACHE": (str,),
    "DEFAULT_TTL": (int,),
    "PERSISTED_QUERIES": (str,),
    "GRAPHIQL": (bool, type(None)),
    "INTROSPECTION": (bool, type(None)),
    "MAX_DEPTH": (int,),
    "MAX_ALIASES": (int,),
    "MAX_TOKENS": (int,),
    "MAX_DOCUMENT_SIZE": (int,),
    "MAX_DIRECTIVES": (int,),
    "MAX_VALIDATION_ERRORS": (int,),
    "MASK_ERRORS": (bool, type(None)),
    "EDGE_BASE_URL": (str,),
    "VIEW_URLS": (dict,),
    "EDGE_PURGERS": (list, tuple),
    "SCHEMA_EXTENSIONS": (list, tuple),
    "QUERY": (type, str, type(None)),
    "MUTATION": (type, str, type(None)),
    "SUBSCRIPTION": (type, str, type(None)),
    "TYPES": (list, tuple),
    "AUTODISCOVER": (bool,),
    "UPLOADS": (bool,),
    "WS_CONNECTION_INIT_TIMEOUT": (int, float),
    "WS_MAX_SUBSCRIPTIONS": (int,),
    "WS_MAX_MESSAGE_SIZE": (int,),
    "WS_AUTH_RECHECK": (int, float, type(None)),
    "ALLAUTH_CURRENT_USER": (bool,),
}

_DEBUG_DEFAULTS = {"GRAPHIQL": True, "INTROSPECTION": True, "MASK_ERRORS": False}


class MizanSettings:
    """Read ``settings.MIZAN`` merged over :data:`DEFAULTS`; ``None`` values follow DEBUG.

    Like Django's ``settings``, a value read once is kept as an attribute of the instance,
    so later reads are plain attribute lookups; :meth:`reset` (on ``setting_changed``)
    forgets them all.
    """

    _cache: dict[str, Any] | None = None
    _lock = threading.Lock()

    def _load(self) -> dict[str, Any]:
        cache = self._cache
        if cache is None:
            user = getattr(settings, "MIZAN", None) or {}
            cache = {**DEFAULTS, **(user if isinstance(user, dict) else {})}
            for key, debug_value in _DEBUG_DEFAULTS.items():
                if cache.get(key) is None:
                    cache[key] = debug_value if settings.DEBUG else not debug_value
            self._cache = cache
        return cache

    def __getattr__(self, name: str) -> Any:
        # Only called for names not set on the instance yet.
        if name.startswith("_"):
            raise AttributeError(name)
        cache = self._load()
        try:
            value = cache[name]
        except KeyError:
            raise AttributeError(f"Unknown MIZAN setting {name!r}") from None
        with self._lock:
            if self._cache is cache:  # not reset meanwhile
                self.__dict__[name] = value
        return value

    def reset(self) -> None:
        with self._lock:
            self.__dict__.clear()


mizan_settings = MizanSettings()


@receiver(setting_changed)
def _reset_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting in ("MIZAN", "DEBUG"):
        mizan_settings.reset()
        from mizan_gql.schema.builder import reset_schema

        reset_schema()
