"""System checks of contexts, ``@view`` views and ``ContextCacheMiddleware``.

Ids ``mizan_gql.E024``-``W029`` and ``W070``. The rules every context function must
follow (global without parameters, public without auth, one signature per named context)
live in ``registry/validation.py``; these add the ones that involve mutations'
``invalidates=``, mixed cache policies, views and the middleware order.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks
from django.urls import get_resolver

from ..registry.core import Registry, get_registry
from ..registry.entry import Problem
from .pages import registered_views
from .viewurls import view_urls

__all__ = ["check_contexts", "check_middleware", "context_problems", "view_problems"]

PARAM = re.compile(r":([A-Za-z_]\w*)")


def context_problems(registry: Registry) -> list[Problem]:
    problems = []
    contexts = registry.contexts()
    for entry in registry.functions:
        where = f"Server function {entry.qualname!r}"
        for name in entry.options.invalidates:
            if name not in contexts:
                known = ", ".join(sorted(contexts)) or "none is declared"
                problems.append(
                    Problem(
                        "mizan_gql.E024",
                        f"{where} invalidates the context {name!r}, which no function declares.",
                        f"Use the name of a context (known contexts: {known}).",
                        entry.func,
                    )
                )
        if entry.context_name is None and (
            entry.options.cache != "private" or entry.options.ttl is not None
        ):
            problems.append(
                Problem(
                    "mizan_gql.W025",
                    f"{where} sets cache= or ttl= without context=, so nothing is cached.",
                    "Add context='global', 'local' or a context name, or drop cache=/ttl=.",
                    entry.func,
                )
            )
    for name, entries in contexts.items():
        policies = sorted({e.options.cache for e in entries})
        if len(policies) > 1:
            problems.append(
                Problem(
                    "mizan_gql.W024",
                    f"The functions of context {name!r} mix cache policies "
                    f"({', '.join(policies)}); its HTTP responses use the strictest.",
                    "Give every function of the context the same cache= policy.",
                    entries[-1].func,
                )
            )
    return problems


def view_problems(registry: Registry) -> list[Problem]:
    problems = []
    contexts = registry.contexts()
    get_resolver().url_patterns  # noqa: B018  (importing the URLconf registers its views)
    for view in registered_views():
        where = f"View {view.qualname!r} (@view(context={view.context!r}))"
        if view.context not in contexts:
            problems.append(
                Problem(
                    "mizan_gql.E026",
                    f"{where} renders a context that no function declares.",
                    "Declare a function with @client(context=...) of that name, or fix the name.",
                    view.func,
                )
            )
            continue
        urls = view_urls(view)
        if not urls.found:
            problems.append(
                Problem(
                    "mizan_gql.W027",
                    f"{where} is not routed by the URLconf, so edges cannot purge its pages.",
                    f'Route it in urls.py, or set MIZAN["VIEW_URLS"] = {{"{view.name}": '
                    '"/path/:param/"}.',
                    view.func,
                )
            )
            continue
        for regex in urls.underivable:
            problems.append(
                Problem(
                    "mizan_gql.W028",
                    f"{where}: the URL pattern {regex!r} cannot be turned into a path pattern.",
                    f'Set MIZAN["VIEW_URLS"] = {{"{view.name}": "/path/:param/"}} (use named '
                    "groups for parameters, or path() converters).",
                    view.func,
                )
            )
        declared = {p.name for p in contexts[view.context][0].params}
        for pattern in urls.patterns:
            names = set(PARAM.findall(pattern))
            if names != declared:
                problems.append(
                    Problem(
                        "mizan_gql.W029",
                        f"{where}: the URL {pattern!r} has parameters "
                        f"{sorted(names)} but the context has {sorted(declared)}.",
                        "Name the URL parameters like the context's parameters so an "
                        "invalidation can be resolved to this URL.",
                        view.func,
                    )
                )
    return problems


def check_contexts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    registry = get_registry()
    problems = [*context_problems(registry), *view_problems(registry)]
    return [problem.as_check_message() for problem in problems]


# The paths ContextCacheMiddleware is documented under.
CONTEXT_CACHE = (
    "mizan_gql.http.ContextCacheMiddleware",
    "mizan_gql.contexts.ContextCacheMiddleware",
    "mizan_gql.contexts.middleware.ContextCacheMiddleware",
)
SECURITY = "django.middleware.security.SecurityMiddleware"


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
