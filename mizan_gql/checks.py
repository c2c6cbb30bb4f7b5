"""System checks: the ``MIZAN`` settings and the registry (``manage.py check``).

Ids are stable and documented in docs/checks.md.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

from .conf import DEFAULTS, SETTING_TYPES
from .exceptions import ConfigurationError
from .registry.entry import Problem

PERSISTED_MODES = ("apq", "trusted", "off")
POSITIVE_KEYS = ("DEFAULT_TTL", "MAX_DEPTH", "MAX_ALIASES", "MAX_TOKENS")
# security: the document limits of mizan_gql.schema.limits
LIMIT_KEYS = ("MAX_DOCUMENT_SIZE", "MAX_DIRECTIVES", "MAX_VALIDATION_ERRORS")


@checks.register("mizan_gql")
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
    if key == "PERSISTED_QUERIES" and value not in PERSISTED_MODES:
        return [
            checks.Error(
                f"MIZAN['PERSISTED_QUERIES'] is {value!r}.",
                hint="Use 'apq' (default), 'trusted' or 'off'.",
                id="mizan_gql.E003",
            )
        ]
    if key in (*POSITIVE_KEYS, *LIMIT_KEYS) and value < 1:
        return [
            checks.Error(
                f"MIZAN[{key!r}] must be a positive number, not {value!r}.",
                hint=f"The default is {DEFAULTS[key]!r}.",
                id="mizan_gql.E003",
            )
        ]
    if key == "CACHE" and value not in settings.CACHES:
        return [
            checks.Error(
                f"MIZAN['CACHE'] names the cache {value!r}, which is not in settings.CACHES.",
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


_ORIGIN = re.compile(r"^https?://[^/\s]+(/[^\s]*[^/\s])?$")
_EXAMPLES = {"SCHEMA_EXTENSIONS": "MyExtension", "TYPES": "MyType"}


def _is_class_or_path(item: Any, *, allow_instance: bool) -> bool:
    if isinstance(item, (str, type)):
        return True
    from strawberry.extensions import SchemaExtension

    return allow_instance and isinstance(item, SchemaExtension)


@checks.register("mizan_gql")
def check_registry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Build the schema (as the first request would) and report every registry mistake."""
    from .registry.core import get_registry
    from .registry.validation import registry_problems
    from .schema.builder import SchemaBuildError, build_schema

    if check_settings():
        return []  # settings errors first; the schema depends on them
    registry = get_registry()
    warnings = [p for p in registry_problems(registry) if ".W" in p.id]
    try:
        if not registry.frozen:
            build_schema()
            # Checks must not freeze the registry for code that registers later;
            # the real build happens on the first request.
            registry.unfreeze()
    except SchemaBuildError as exc:
        return [*map(to_message, warnings), *map(to_message, exc.problems)]
    except ConfigurationError as exc:
        return [checks.Error(str(exc), hint="Fix the dotted path in MIZAN.", id="mizan_gql.E005")]
    except Exception as exc:  # never a traceback from `manage.py check`
        return [
            *map(to_message, warnings),
            checks.Error(
                f"The GraphQL schema cannot be built: {type(exc).__name__}: {exc}",
                hint="Run `manage.py export_schema --traceback` to see where it fails.",
                id="mizan_gql.E030",
            ),
        ]
    return list(map(to_message, warnings))


CONTEXT_CACHE = (
    "mizan_gql.http.ContextCacheMiddleware",
    "mizan_gql.http.context_cache.ContextCacheMiddleware",
)
SECURITY = "django.middleware.security.SecurityMiddleware"


@checks.register("mizan_gql")
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """ContextCacheMiddleware answers hits where it stands: SecurityMiddleware must come first."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    ours = next((i for i, path in enumerate(middleware) if path in CONTEXT_CACHE), None)
    if ours is None or SECURITY not in middleware[ours:]:
        return []
    return [
        checks.Warning(
            "ContextCacheMiddleware comes before SecurityMiddleware in MIDDLEWARE, so the "
            "context responses it answers get no HTTPS redirect and no security headers.",
            hint=f"Move {middleware[ours]!r} after {SECURITY!r}.",
            id="mizan_gql.W070",
        )
    ]


def to_message(problem: Problem) -> checks.CheckMessage:
    cls = checks.Warning if ".W" in problem.id else checks.Error
    return cls(problem.message, hint=problem.hint, obj=_label(problem.obj), id=problem.id)


def _label(obj: Any) -> Any:
    # Django prints ``obj`` before the message: "app.module.fn: (mizan_gql.E010) ...",
    # not "<function fn at 0x7f...>".
    if callable(obj) and hasattr(obj, "__qualname__"):
        return f"{obj.__module__}.{obj.__qualname__}"
    return obj
