"""The edge manifest: every context, where it is served and how an edge may cache it.

The manifest is what an edge (Varnish, Fastly, Cloudflare, a purge worker) needs to turn an
``X-Mizan-Invalidate`` header into URLs and tags (see :mod:`mizan_gql.edge.resolver` and
docs/edge.md)::

    {"contexts": {"user": {
        "cache": "public", "ttl": 600,
        "endpoints": ["/graphql/ctx/user/"],
        "functions": [{"name": "user_profile", "path": "rpc"},
                      {"name": "profile_page", "path": "view"}],
        "models": ["auth.User", "shop.Profile"],
        "operation": {"name": "UserContext", "sha256": "…"},
        "params": ["user_id"],
        "tags": ["ctx:user", "ctx:user:user_id={user_id}"],
        "views": ["/profile/:user_id/"]}},
     "header": "X-Mizan-Invalidate", "tag_headers": [...], "version": 1}

It is derived from the registry, the built schema and the URLconf only, so it is the same
bytes on every machine, run and hash seed (:func:`manifest_json`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import NoReverseMatch, reverse

from ..conf import mizan_settings
from ..constants import INVALIDATE_HEADER, TAG_HEADERS
from ..contexts import context_policy, context_tags, registered_views, view_urls
from ..registry.core import get_registry
from ..schema import get_schema, operations_for

__all__ = ["FORMAT_VERSION", "generate_edge_manifest", "manifest_json", "tag_templates"]

FORMAT_VERSION = 1
ENDPOINT_URL_NAME = "mizan_gql:context"

ViewURLOverrides = Mapping[str, str | Sequence[str]]


def generate_edge_manifest(
    view_urls: ViewURLOverrides | None = None, base_url: str | None = None
) -> dict[str, Any]:
    """The edge manifest of the current registry as a JSON-compatible dict.

    ``view_urls`` maps a view name to its URL pattern(s) (``"/profile/:user_id/"``) and wins
    over ``MIZAN["VIEW_URLS"]`` and the URLconf. ``base_url`` (default
    ``MIZAN["EDGE_BASE_URL"]``) is prepended to every endpoint and view URL::

        manifest = generate_edge_manifest(base_url="https://example.com")
        manifest["contexts"]["user"]["views"]  # ["https://example.com/profile/:user_id/"]
    """
    base = (mizan_settings.EDGE_BASE_URL if base_url is None else base_url).rstrip("/")
    overrides = dict(view_urls or {})
    schema = get_schema()  # builds (and validates) the registry like a request would
    operations = operations_for(schema).contexts
    contexts: dict[str, Any] = {}
    for name, entries in sorted(get_registry().contexts().items()):
        policy = context_policy(name)
        params = sorted(p.name for p in entries[0].params)
        functions = [{"name": e.name, "path": "rpc"} for e in sorted(entries, key=lambda e: e.name)]
        views: list[str] = []
        for view in registered_views():
            if view.context != name:
                continue
            functions.append({"name": view.name, "path": "view"})
            for pattern in _view_patterns(view, overrides):
                if base + pattern not in views:
                    views.append(base + pattern)
        data: dict[str, Any] = {
            "cache": policy.cache,
            "endpoints": [base + url for url in _endpoints(name)],
            "functions": functions,
            "models": sorted({d.label for e in entries for d in e.dependencies}),
            "params": params,
            "tags": tag_templates(name, params),
            "ttl": policy.ttl if policy.cache != "none" else 0,
            "views": sorted(views),
        }
        operation = operations.get(name)
        if operation is not None:
            data["operation"] = {"name": operation.name, "sha256": operation.sha256}
        contexts[name] = data
    manifest: dict[str, Any] = {
        "contexts": contexts,
        "header": INVALIDATE_HEADER,
        "tag_headers": list(TAG_HEADERS),
        "version": FORMAT_VERSION,
    }
    if base:
        manifest["base_url"] = base
    return manifest


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as committed text: sorted keys, two-space indent, trailing newline."""
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def tag_templates(context: str, params: Sequence[str]) -> list[str]:
    """The tags a context's responses carry, with ``{param}`` where a value goes.

    Built by :func:`mizan_gql.contexts.context_tags` itself (with marker values), so the
    manifest can never disagree with the headers the server sends.
    """
    markers = {name: f"MIZANPARAM{index}X" for index, name in enumerate(sorted(params))}
    tags = context_tags(context, markers)
    for name, marker in markers.items():
        tags = [tag.replace(marker, "{" + name + "}") for tag in tags]
    return tags


def _endpoints(context: str) -> list[str]:
    try:
        return [reverse(ENDPOINT_URL_NAME, kwargs={"context": context})]
    except NoReverseMatch:  # mizan_gql.urls not included: no GET endpoint to purge
        return []


def _view_patterns(view: Any, overrides: Mapping[str, str | Sequence[str]]) -> list[str]:
    for key in (view.name, view.qualname):
        if key in overrides:
            value = overrides[key]
            return [value] if isinstance(value, str) else list(value)
    # Underivable regexes are reported by `manage.py check` (mizan_gql.W028); the manifest
    # lists what can be purged.
    return list(view_urls(view).patterns)
