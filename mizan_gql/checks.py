"""The system checks of mizan_gql, by the names the documentation gives them.

Each lives with what it checks (the settings in ``conf_checks``, the registry in
``schema.checks``, each feature's in the feature) and is registered by ``AppConfig.ready()``
through the features' plugins (the ``*_deploy`` ones and ``check_deploy_settings`` only run with
``manage.py check --deploy``); ids are stable and documented in docs/checks.md. Checks are
plain functions, so a test can call them::

    from mizan_gql.checks import check_registry

    def test_order_is_valid():
        with use_registry():
            client(order)
            assert check_registry() == []
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from .channels.checks import check_channel_layers, check_channel_layers_deploy, check_group_expiry
from .conf import mizan_settings
from .conf_checks import check_deploy_settings, check_settings
from .contexts.checks import check_contexts, check_middleware
from .contexts.deploy_checks import check_context_cache_deploy
from .edge.checks import check_edge_settings
from .persisted.checks import check_apq_eviction, check_apq_store_deploy
from .schema.checks import check_registry

__all__ = [
    "check_apq_eviction",
    "check_apq_store_deploy",
    "check_channel_layers",
    "check_channel_layers_deploy",
    "check_context_cache_deploy",
    "check_contexts",
    "check_deploy_settings",
    "check_edge_settings",
    "check_group_expiry",
    "check_graphiql",
    "check_middleware",
    "check_registry",
    "check_settings",
    "check_toolbar_panel",
    "check_urls",
]

URLS_APP = "mizan_gql"

# The Debug Toolbar panel's dotted path, as DEBUG_TOOLBAR_PANELS names it, and its app.
TOOLBAR_PANEL = "mizan_gql.observability.panel.MizanPanel"
OBSERVABILITY_APP = "mizan_gql.observability"


def check_urls(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``mizan_gql.W075``/``W076``: the URLs under ``include("mizan_gql.urls")`` can be
    built (the generated client, the edge manifest and the purges use ``reverse()``) and
    are one slash below the GraphQL path."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    prefixes = list(_includes(get_resolver().url_patterns, ""))
    if not prefixes:
        return []  # not routed here (WebSocket only, or another URLconf)
    try:
        graphql = reverse(f"{URLS_APP}:graphql")
    except NoReverseMatch:
        return [
            checks.Warning(
                f"mizan_gql.urls is included at {prefixes[0]!r}, a prefix with parameters: "
                "its URLs cannot be built, so the generated client, the edge manifest and "
                "the purges cannot name them (and the context endpoint does not take them).",
                hint="Include it under a fixed prefix: "
                'path("graphql/", include("mizan_gql.urls")).',
                id="mizan_gql.W076",
            )
        ]
    below = graphql.rstrip("/") + "/"
    problems: list[checks.CheckMessage] = []
    names: set[str | None] = set()
    for pattern in _named_patterns(_mizan_patterns(get_resolver().url_patterns)):
        if pattern.name in names:
            continue  # each separator includes the plugins' patterns
        names.add(pattern.name)
        try:
            url = reverse(f"{URLS_APP}:{pattern.name}")
        except NoReverseMatch:
            continue  # it takes parameters
        if url != graphql and (not url.startswith(below) or url.startswith(below + "/")):
            problems.append(
                checks.Warning(
                    f"The URL pattern {pattern.name!r} under mizan_gql.urls gives {url!r}, "
                    f"not a path one slash below the GraphQL path {graphql!r}.",
                    hint="Write a plugin's URL patterns relative to the GraphQL path, "
                    'without a leading slash: path("audit/", view).',
                    obj=str(pattern.pattern),
                    id="mizan_gql.W075",
                )
            )
    return problems


def check_graphiql(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``mizan_gql.W077``: the GraphiQL page loads its files through django.contrib.staticfiles."""
    if not mizan_settings.GRAPHIQL or apps.is_installed("django.contrib.staticfiles"):
        return []
    return [
        checks.Warning(
            "MIZAN['GRAPHIQL'] is on but django.contrib.staticfiles is not installed: the "
            "GraphiQL page loads its scripts and styles from mizan_gql's static files.",
            hint="Add 'django.contrib.staticfiles' to INSTALLED_APPS (runserver serves the "
            "files when DEBUG is on; collectstatic for production), or set "
            "MIZAN['GRAPHIQL'] = False.",
            id="mizan_gql.W077",
        )
    ]


def check_toolbar_panel(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``mizan_gql.E096``: the Debug Toolbar panel is configured, its app is not installed.

    Registered by the ``mizan_gql`` app: the observability app's own checks do not run
    when it is missing."""
    panels = getattr(settings, "DEBUG_TOOLBAR_PANELS", None) or ()
    if TOOLBAR_PANEL not in panels or apps.is_installed(OBSERVABILITY_APP):
        return []
    return [
        checks.Error(
            f"DEBUG_TOOLBAR_PANELS names {TOOLBAR_PANEL!r} but {OBSERVABILITY_APP!r} is not "
            "in INSTALLED_APPS: the panel's template cannot be found and no operations are "
            "recorded for it.",
            hint=f"Add {OBSERVABILITY_APP!r} to INSTALLED_APPS after 'mizan_gql', or remove "
            "the panel from DEBUG_TOOLBAR_PANELS.",
            id="mizan_gql.E096",
        )
    ]


def _includes(patterns: Iterable[Any], prefix: str) -> Iterator[str]:
    """Where the URLconf includes mizan_gql.urls (the prefix as the URLconf writes it)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            route = prefix + str(pattern.pattern)
            if pattern.app_name == URLS_APP:
                yield route
            else:
                yield from _includes(pattern.url_patterns, route)


def _mizan_patterns(patterns: Iterable[Any]) -> list[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == URLS_APP:
                return list(pattern.url_patterns)
            found = _mizan_patterns(pattern.url_patterns)
            if found:
                return found
    return []


def _named_patterns(patterns: Iterable[Any]) -> Iterator[URLPattern]:
    """The named patterns, the plugins' (below mizan_gql.urls' separators) included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns)
        elif pattern.name:
            yield pattern
