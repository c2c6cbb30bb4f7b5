"""System checks of the ``MIZAN`` settings (ids ``mizan_gql.E001``-``E005``; with
``--deploy``, ``W006`` and ``W007``).

``E005`` for the paths the schema imports (``QUERY``, ...) comes from the schema's checks,
which build it; ``WS_AUTHENTICATE``, which the schema does not use, is imported here.

Ids are stable and documented in docs/checks.md; the schema's own checks run only once
these pass (the schema depends on the settings).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string
from strawberry.extensions import SchemaExtension

from .conf import DEFAULTS as TYPED_DEFAULTS
from .conf import PERSISTED_QUERY_MODES, SETTING_TYPES, mizan_settings

__all__ = ["check_deploy_settings", "check_settings", "unshared_cache_warning"]

DEFAULTS: dict[str, Any] = dict(TYPED_DEFAULTS)

POSITIVE_KEYS = ("DEFAULT_TTL", "MAX_DEPTH", "MAX_ALIASES", "MAX_TOKENS")
# security: the document limits of mizan_gql.schema.limits
LIMIT_KEYS = ("MAX_DOCUMENT_SIZE", "MAX_DIRECTIVES", "MAX_VALIDATION_ERRORS")
# security: the bounds of the APQ store and of uploads (None: unbounded)
BOUND_KEYS = ("APQ_TTL", "APQ_MAX_REGISTRATIONS", "APQ_REGISTRATION_WINDOW", "MAX_UPLOAD_SIZE")
# Settings naming an alias of settings.CACHES (None: the default of the key).
CACHE_KEYS = ("CACHE", "APQ_CACHE")


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    user = getattr(settings, "MIZAN", None)
    if user is None:
        return []
    if not isinstance(user, dict):
        return [
            checks.Error(
                f"settings.MIZAN must be a dict, not {type(user).__name__}.",
                hint='Write MIZAN = {"CACHE": "default", ...} or remove the setting.',
                id="mizan_gql.E001",
            )
        ]
    errors: list[checks.CheckMessage] = []
    for key, value in sorted(user.items()):
        if key not in DEFAULTS:
            errors.append(
                checks.Error(
                    f"MIZAN[{key!r}] is not a mizan_gql setting.",
                    hint=f"Known settings: {', '.join(sorted(DEFAULTS))}.",
                    id="mizan_gql.E001",
                )
            )
            continue
        expected = SETTING_TYPES[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
            names = " or ".join("None" if t is type(None) else t.__name__ for t in expected)
            errors.append(
                checks.Error(
                    f"MIZAN[{key!r}] must be {names}, not {type(value).__name__}.",
                    hint=f"The default is {DEFAULTS[key]!r}; see docs/settings.md.",
                    id="mizan_gql.E002",
                )
            )
            continue
        errors.extend(_value_errors(key, value))
    return errors


def _value_errors(key: str, value: Any) -> list[checks.CheckMessage]:
    if key == "PERSISTED_QUERIES" and value not in PERSISTED_QUERY_MODES:
        return [
            checks.Error(
                f"MIZAN['PERSISTED_QUERIES'] is {value!r}.",
                hint="Use 'apq' (default), 'trusted' or 'off'.",
                id="mizan_gql.E003",
            )
        ]
    if key in (*POSITIVE_KEYS, *LIMIT_KEYS, *BOUND_KEYS) and value is not None and value < 1:
        return [
            checks.Error(
                f"MIZAN[{key!r}] must be a positive number, not {value!r}.",
                hint=f"The default is {DEFAULTS[key]!r}.",
                id="mizan_gql.E003",
            )
        ]
    if key in CACHE_KEYS and value is not None and value not in settings.CACHES:
        return [
            checks.Error(
                f"MIZAN[{key!r}] names the cache {value!r}, which is not in settings.CACHES.",
                hint=f"Use one of: {', '.join(sorted(settings.CACHES))}.",
                id="mizan_gql.E004",
            )
        ]
    if key == "EDGE_BASE_URL" and value and not _ORIGIN.match(value):
        return [
            checks.Error(
                f"MIZAN['EDGE_BASE_URL'] is {value!r}, which is not an absolute origin.",
                hint="Write the scheme and host without a trailing slash, e.g. "
                "'https://example.com'.",
                id="mizan_gql.E003",
            )
        ]
    if key in ("SCHEMA_EXTENSIONS", "TYPES"):
        return [
            checks.Error(
                f"MIZAN[{key!r}][{index}] is {item!r}, not a class or a dotted path.",
                hint=f"List classes or dotted paths such as 'myapp.graphql.{_EXAMPLES[key]}'.",
                id="mizan_gql.E002",
            )
            for index, item in enumerate(value)
            if not _is_class_or_path(item, allow_instance=key == "SCHEMA_EXTENSIONS")
        ]
    if key == "WS_AUTHENTICATE" and value is not None:
        return _callable_errors(key, value)
    if key == "VIEW_URLS":
        return [
            checks.Error(
                f"MIZAN['VIEW_URLS'][{name!r}] is {url!r}; names and URLs must be strings.",
                hint="Map a view name to its URL pattern, e.g. {'profile': '/profile/:user_id/'}.",
                id="mizan_gql.E002",
            )
            for name, url in value.items()
            if not (isinstance(name, str) and isinstance(url, str))
        ]
    return []


def _callable_errors(key: str, path: str) -> list[checks.CheckMessage]:
    try:
        target = import_string(path)
    except ImportError as exc:
        return [
            checks.Error(
                f"MIZAN[{key!r}] = {path!r} cannot be imported: {exc}",
                hint="Fix the dotted path in MIZAN.",
                id="mizan_gql.E005",
            )
        ]
    if not callable(target):
        return [
            checks.Error(
                f"MIZAN[{key!r}] = {path!r} is a {type(target).__name__}, not a function.",
                hint="Name a function `authenticate(request, params)` (sync or async).",
                id="mizan_gql.E002",
            )
        ]
    return []


# (check --deploy) What each development convenience gives any client in production.
DEVELOPMENT_KEYS = {
    "GRAPHIQL": (
        "mizan_gql.W006",
        "GraphiQL is served: any visitor of /graphql gets an IDE to run operations against "
        "this server",
    ),
    "INTROSPECTION": (
        "mizan_gql.W007",
        "introspection is allowed: any client can download the whole schema, operations "
        "your front end never calls included",
    ),
}


def check_deploy_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """(``check --deploy``) Warn about GraphiQL and introspection left on."""
    user = getattr(settings, "MIZAN", None)
    user = user if isinstance(user, dict) else {}
    messages: list[checks.CheckMessage] = []
    for key, (check_id, effect) in DEVELOPMENT_KEYS.items():
        if getattr(mizan_settings, key) is not True:
            continue
        why = "DEBUG is True" if user.get(key) is None else f"MIZAN[{key!r}] is True"
        messages.append(
            checks.Warning(
                f"{effect[0].upper()}{effect[1:]} ({why}).",
                hint=f"Set MIZAN[{key!r}] = False, or leave it out with DEBUG = False "
                "in production.",
                id=check_id,
            )
        )
    return messages


_ORIGIN = re.compile(r"^https?://[^/\s]+(/[^\s]*[^/\s])?$")
_EXAMPLES = {"SCHEMA_EXTENSIONS": "MyExtension", "TYPES": "MyType"}


SHARED_CACHE_HINT = (
    "Use a cache every process shares, such as django.core.cache.backends.redis.RedisCache"
)


def unshared_cache_warning(
    alias: str, what: str, meanings: dict[str, str], *, hint: str, id: str
) -> list[checks.CheckMessage]:
    """A deploy warning when ``CACHES[alias]`` lives in one process (a key of ``meanings``,
    whose value says what that means for ``what``), or nothing when it is shared."""
    backend = str((settings.CACHES.get(alias) or {}).get("BACKEND", ""))
    if backend not in meanings:
        return []
    return [
        checks.Warning(
            f"{what} (CACHES[{alias!r}]) is {meanings[backend]}.",
            hint=f"{SHARED_CACHE_HINT}{hint}",
            id=id,
        )
    ]


def _is_class_or_path(item: Any, *, allow_instance: bool) -> bool:
    if isinstance(item, (str, type)):
        return True
    return allow_instance and isinstance(item, SchemaExtension)
