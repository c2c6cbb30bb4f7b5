"""The ``MIZAN`` settings dict: one typed table of keys, defaults and one accessor.

Like strawberry-django's settings, the keys are a :class:`MizanSettingsDict` (a
``TypedDict``: the type of each key, with a comment saying what it does) and
:data:`DEFAULTS` its default values; docs/settings.md documents the same table.
:data:`mizan_settings` reads ``settings.MIZAN`` over the defaults and forgets what it read
when a test changes ``MIZAN`` or ``DEBUG`` (``override_settings``). Whatever was built from
the settings (the schema) listens to the same ``setting_changed`` signal itself.
"""

from __future__ import annotations

import threading
import types
import typing
from typing import Any, TypedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "DEFAULTS",
    "PERSISTED_QUERY_MODES",
    "SETTING_TYPES",
    "WATCHED_SETTINGS",
    "MizanSettingsDict",
    "mizan_settings",
]


class MizanSettingsDict(TypedDict, total=False):
    """Every key of ``settings.MIZAN`` and its type (``None``: follow ``DEBUG``)."""

    # Alias in settings.CACHES used for context entries and persisted queries.
    CACHE: str
    # Seconds a context entry lives when its function gives no ``ttl``.
    DEFAULT_TTL: int
    # "apq" (any document, Apollo APQ allowed), "trusted" (generated documents and
    # TRUSTED_DOCUMENTS only), "off".
    PERSISTED_QUERIES: str
    # Manifest files of documents that run like generated ones (also in trusted mode):
    # Apollo's persisted-query manifest, GraphQL Code Generator's or Relay's persisted
    # documents, mizan's export. Relative paths start at settings.BASE_DIR.
    TRUSTED_DOCUMENTS: list[Any]
    # security: seconds a registered APQ document is kept. None: until the cache evicts it.
    APQ_TTL: int | None
    # Alias in settings.CACHES for the APQ store and its rate counters. None: CACHE.
    APQ_CACHE: str | None
    # security: APQ registrations one client (user, else IP address) may make per
    # APQ_REGISTRATION_WINDOW; more answer PersistedQueryNotSupported. None: no limit.
    APQ_MAX_REGISTRATIONS: int | None
    # Seconds of the window APQ_MAX_REGISTRATIONS counts in.
    APQ_REGISTRATION_WINDOW: int
    # Serve GraphiQL on GET /graphql from a browser. None: follow DEBUG.
    GRAPHIQL: bool | None
    # Allow introspection queries. None: follow DEBUG.
    INTROSPECTION: bool | None
    # Reject documents nested deeper than this (fragments are followed).
    MAX_DEPTH: int
    # Reject documents with more aliases than this.
    MAX_ALIASES: int
    # Reject documents with more lexical tokens than this.
    MAX_TOKENS: int
    # security: reject documents longer than this many bytes, before parsing them.
    MAX_DOCUMENT_SIZE: int
    # security: reject documents using more directives than this (fragments expanded).
    MAX_DIRECTIVES: int
    # security: stop validating a document after this many errors.
    MAX_VALIDATION_ERRORS: int
    # Replace unexpected errors by "Internal server error". None: not DEBUG.
    MASK_ERRORS: bool | None
    # Absolute origin prepended to URLs in the edge manifest, e.g. "https://example.com".
    EDGE_BASE_URL: str
    # View name -> URL pattern, overriding what is derived from the URLconf.
    VIEW_URLS: dict[str, Any]
    # Edge purgers, run by the edge purge task after an invalidation commits: dotted paths
    # or {"BACKEND": path, "OPTIONS": {}} (docs/edge.md).
    EDGE_PURGERS: list[Any] | tuple[Any, ...]
    # Alias in Django's TASKS setting of the backend running the edge purge task.
    EDGE_TASK_BACKEND: str
    # Queue of that backend the edge purge task is enqueued on.
    EDGE_TASK_QUEUE: str
    # Retries of a failed edge purge before it is logged as lost (0: none).
    EDGE_PURGE_RETRIES: int
    # Seconds before the first retry; each next one waits twice as long.
    EDGE_PURGE_BACKOFF: int | float
    # Longest wait between two retries, in seconds.
    EDGE_PURGE_BACKOFF_MAX: int | float
    # Strawberry schema extensions (classes, instances or dotted paths) added to ours.
    SCHEMA_EXTENSIONS: list[Any] | tuple[Any, ...]
    # Your own Strawberry root types (class or dotted path) merged with the mizan fields.
    QUERY: type | str | None
    MUTATION: type | str | None
    SUBSCRIPTION: type | str | None
    # Extra Strawberry types to include in the schema (classes or dotted paths).
    TYPES: list[Any] | tuple[Any, ...]
    # Import ``mizan_clients`` modules of installed apps when the schema is built.
    AUTODISCOVER: bool
    # Accept GraphQL multipart requests (file uploads); forms with FileField/ImageField
    # need it. Multipart mutations and cross-origin multipart requests also need a
    # preflight-forcing header (docs/forms.md).
    UPLOADS: bool
    # security: bytes of file data one multipart request may carry, all files together
    # (more: 413). None: no limit.
    MAX_UPLOAD_SIZE: int | None
    # WebSocket: seconds a client has to send connection_init (then closed with 4408).
    WS_CONNECTION_INIT_TIMEOUT: int | float
    # WebSocket: operations running at once on one connection (completed ones do not count).
    WS_MAX_SUBSCRIPTIONS: int
    # WebSocket: largest frame accepted, in bytes (bigger: closed with 4413).
    WS_MAX_MESSAGE_SIZE: int
    # WebSocket: seconds between re-reads of a signed-in socket's session, so an ended
    # session stops it; checked when an operation starts or a subscription's message arrives
    # (a logout's mark in CACHE is looked for at every operation). None: never re-read.
    WS_AUTH_RECHECK: int | float | None
    # WebSocket: dotted path of ``authenticate(request, params) -> user | None``, called with
    # connection_init's payload (connectionParams) to sign a socket in without the session
    # cookie (a token); raise PermissionDenied to refuse the connection (4403). None: off.
    WS_AUTHENTICATE: str | None
    # mizan_gql.contrib.allauth: serve its ``current_user`` global context. False: your own
    # ``current_user`` function serves it (the account mutations still invalidate it).
    ALLAUTH_CURRENT_USER: bool


DEFAULTS: MizanSettingsDict = {
    "CACHE": "default",
    "DEFAULT_TTL": 300,
    "PERSISTED_QUERIES": "apq",
    "TRUSTED_DOCUMENTS": [],
    "APQ_TTL": 86400,
    "APQ_CACHE": None,
    "APQ_MAX_REGISTRATIONS": 30,
    "APQ_REGISTRATION_WINDOW": 60,
    "GRAPHIQL": None,
    "INTROSPECTION": None,
    "MAX_DEPTH": 15,
    "MAX_ALIASES": 30,
    "MAX_TOKENS": 2000,
    "MAX_DOCUMENT_SIZE": 32768,
    "MAX_DIRECTIVES": 50,
    "MAX_VALIDATION_ERRORS": 20,
    "MASK_ERRORS": None,
    "EDGE_BASE_URL": "",
    "VIEW_URLS": {},
    "EDGE_PURGERS": [],
    "EDGE_TASK_BACKEND": "default",
    "EDGE_TASK_QUEUE": "default",
    "EDGE_PURGE_RETRIES": 5,
    "EDGE_PURGE_BACKOFF": 1,
    "EDGE_PURGE_BACKOFF_MAX": 300,
    "SCHEMA_EXTENSIONS": [],
    "QUERY": None,
    "MUTATION": None,
    "SUBSCRIPTION": None,
    "TYPES": [],
    "AUTODISCOVER": True,
    "UPLOADS": False,
    "MAX_UPLOAD_SIZE": 10 * 1024 * 1024,
    "WS_CONNECTION_INIT_TIMEOUT": 10,
    "WS_MAX_SUBSCRIPTIONS": 100,
    "WS_MAX_MESSAGE_SIZE": 65536,
    "WS_AUTH_RECHECK": 30,
    "WS_AUTHENTICATE": None,
    "ALLAUTH_CURRENT_USER": True,
}


def _runtime_types(annotation: Any) -> tuple[type, ...]:
    """``int | float | None`` -> ``(int, float, NoneType)``; ``list[Any]`` -> ``(list,)``."""
    members = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    found: list[type] = []
    for member in members or (annotation,):
        member = typing.get_origin(member) or member
        found.append(type(None) if member is None else member)
    return tuple(found)


# The types each key accepts, read off MizanSettingsDict (the checks of checks.py use it).
SETTING_TYPES: dict[str, tuple[type, ...]] = {
    key: _runtime_types(annotation)
    for key, annotation in typing.get_type_hints(MizanSettingsDict).items()
}

# The values of MIZAN["PERSISTED_QUERIES"].
PERSISTED_QUERY_MODES = ("apq", "trusted", "off")

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

# The settings that mizan_settings (and everything built from it) depends on.
WATCHED_SETTINGS = ("MIZAN", "DEBUG")


@receiver(setting_changed)
def _reset_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting in WATCHED_SETTINGS:
        mizan_settings.reset()
