"""The reference resolver: ``X-Mizan-Invalidate`` + manifest -> the URLs and tags to purge.

This is the algorithm docs/edge.md specifies for edge implementers; purgers use it too::

    resolve("user;user_id=5", manifest)
    # Resolution(urls=("/graphql/ctx/user/?user_id=5", "/profile/5/"),
    #            tags=("ctx:user:user_id=5",), prefixes=())

For each entry: a parameter set naming every parameter of the context gives exact URLs
(each endpoint with the canonical query string, each view pattern with the values
substituted); the whole context, or only some of several parameters, cannot be listed, so
it gives URL ``prefixes`` (everything up to the first placeholder) and the tags cover it.
Entries of unknown contexts or with undeclared parameters purge nothing (they are
``ignored``): a forged header must never widen a purge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from ..contexts import context_tags
from ..invalidation_header import Invalidation, parse_invalidations

__all__ = ["Resolution", "expand_view", "resolve"]

PLACEHOLDER = re.compile(r":([A-Za-z_]\w*)")
# What django.urls.reverse() leaves unquoted in a path (RFC 3986 sub-delims, "~:@") except
# "/": a value is always one path segment, so it can never reach another page.
_PATH_SAFE = "!$&'()*+,;=~:@"


@dataclass(frozen=True)
class Resolution:
    """What to purge: exact ``urls``, URL ``prefixes`` and cache ``tags`` (all deduplicated)."""

    urls: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.urls or self.tags or self.prefixes)


def resolve(
    invalidations: str | Iterable[Invalidation],
    manifest: Mapping[str, Any],
    base_url: str | None = None,
) -> Resolution:
    """Resolve a header value (or parsed entries) against an edge manifest.

    ``base_url`` is prepended to relative URLs (default: the manifest's ``base_url``).
    Raises :class:`ValueError` for a header :func:`mizan_gql.contexts.encode_invalidations`
    cannot have produced.
    """
    entries = (
        parse_invalidations(invalidations) if isinstance(invalidations, str) else invalidations
    )
    base = (manifest.get("base_url", "") if base_url is None else base_url).rstrip("/")
    contexts = manifest.get("contexts", {})
    urls: dict[str, None] = {}
    tags: dict[str, None] = {}
    prefixes: dict[str, None] = {}
    ignored: list[str] = []
    for entry in entries:
        spec = contexts.get(entry.context)
        params = entry.text_params()
        declared = list(spec.get("params", [])) if spec is not None else []
        if spec is None or not set(params) <= set(declared):
            ignored.append(str(entry))
            continue
        tags.update(dict.fromkeys(_tags(entry.context, params, declared)))
        complete = set(params) == set(declared)
        for endpoint in spec.get("endpoints", []):
            if complete:
                urls[_absolute(base, endpoint + _query(params))] = None
            else:
                prefixes[_absolute(base, endpoint)] = None
        for pattern in spec.get("views", []):
            exact = expand_view(pattern, params)
            if exact is not None:
                urls[_absolute(base, exact)] = None
            else:
                prefixes[_absolute(base, _prefix(pattern))] = None
    return Resolution(tuple(urls), tuple(tags), tuple(prefixes), tuple(ignored))


def expand_view(pattern: str, params: Mapping[str, str]) -> str | None:
    """``/profile/:user_id/`` + ``{"user_id": "5"}`` -> ``/profile/5/``; None if one is missing.

    Values are quoted like ``django.urls.reverse()`` quotes them, including its rule that a
    ``.`` or ``..`` segment is percent-encoded, and ``/`` is encoded too: a value is one
    segment, so no value can point at another path.
    """
    path, mark, query = pattern.partition("?")
    missing = False

    def substituter(safe: str) -> Callable[[re.Match[str]], str]:
        def substitute(match: re.Match[str]) -> str:
            nonlocal missing
            name = match.group(1)
            if name not in params:
                missing = True
                return match.group(0)
            return quote(params[name], safe=safe)

        return substitute

    url = _escape_dot_segments(PLACEHOLDER.sub(substituter(_PATH_SAFE), path))
    # In a query string (a VIEW_URLS pattern like "/feed/?page=:page") "&", "=" and "+"
    # separate or mean something, so values are quoted completely there.
    url += mark + PLACEHOLDER.sub(substituter(""), query)
    return None if missing else url


def _escape_dot_segments(url: str) -> str:
    segments = url.split("/")
    return "/".join({".": "%2E", "..": "%2E%2E"}.get(s, s) for s in segments)


def _query(params: Mapping[str, str]) -> str:
    # The canonical query string of the context endpoint: names sorted (as the endpoint's
    # canonical URL and Varnish's std.querysort order them), form-encoded.
    if not params:
        return ""
    return "?" + urlencode(sorted(params.items()))


def _prefix(pattern: str) -> str:
    match = PLACEHOLDER.search(pattern)
    return pattern if match is None else pattern[: match.start()]


def _absolute(base: str, url: str) -> str:
    return url if "://" in url or not base else base + url


def _tags(context: str, params: Mapping[str, str], declared: list[str]) -> list[str]:
    """Like :func:`mizan_gql.contexts.invalidation_tags`, but from the manifest alone."""
    tags = context_tags(context, params)
    if len(params) <= 1 or set(params) == set(declared):
        return [tags[-1]]
    return tags[1:-1]  # some of several parameters: every object tagged with one of them
