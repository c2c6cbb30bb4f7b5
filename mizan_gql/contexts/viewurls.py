"""URL patterns of ``@view`` views, derived from the URLconf.

``path("profile/<int:user_id>/", ...)`` gives ``/profile/:user_id/``; ``re_path`` works
when every non-literal part is a named group (``^profile/(?P<user_id>\\d+)/$``). Patterns
that cannot be derived (unnamed or optional groups, alternatives, character classes outside
groups) need an entry in ``MIZAN["VIEW_URLS"]``; ``manage.py check`` says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from ..conf import mizan_settings
from .pages import ViewEntry, iter_callbacks

__all__ = ["ViewURLs", "regex_to_path", "view_urls"]

_META = set(".^$*+?{}[]|()")


@dataclass
class ViewURLs:
    """Where a view is served: derived ``patterns``, and regexes that could not be derived."""

    patterns: list[str] = field(default_factory=list)
    underivable: list[str] = field(default_factory=list)
    configured: bool = False  # taken from MIZAN["VIEW_URLS"]

    @property
    def found(self) -> bool:
        return bool(self.patterns or self.underivable)


def _group_end(regex: str, start: int) -> int:
    """Index of the ``)`` closing the group that opens at ``start``."""
    depth, i = 0, start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            if i < len(regex) and regex[i] == "]":
                i += 1
            while i < len(regex) and regex[i] != "]":
                i += 2 if regex[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced group")


def regex_to_path(regex: str) -> str | None:
    """``^profile/(?P<user_id>[0-9]+)/\\Z`` -> ``profile/:user_id/``; None if not derivable."""
    out: list[str] = []
    i = 1 if regex.startswith("^") else 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            following = regex[i + 1 : i + 2]
            if following == "Z" and i + 2 == len(regex):
                break
            if not following or following.isalnum():
                return None  # \d, \w, ... outside a named group
            out.append(following)
            i += 2
            continue
        if regex.startswith("(?P<", i):
            close = regex.find(">", i)
            try:
                end = _group_end(regex, i)
            except ValueError:
                return None
            if end + 1 < len(regex) and regex[end + 1] in "?*+{":
                return None  # optional or repeated parameter: several URLs
            out.append(":" + regex[i + 4 : close])
            i = end + 1
            continue
        if char == "$" and i == len(regex) - 1:
            break
        if char in _META:
            return None
        out.append(char)
        i += 1
    return "".join(out)


def _walk(patterns: list[Any], prefix: list[str]) -> Iterator[tuple[list[str], URLPattern]]:
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, [*prefix, regex])
        elif isinstance(pattern, URLPattern):
            yield [*prefix, regex], pattern


def view_urls(entry: ViewEntry, urlconf: str | None = None) -> ViewURLs:
    """The URL patterns of ``entry``: ``MIZAN["VIEW_URLS"]`` first, else the URLconf."""
    configured = mizan_settings.VIEW_URLS
    for key in (entry.name, entry.qualname):
        if key in configured:
            value = configured[key]
            patterns = [value] if isinstance(value, str) else list(value)
            return ViewURLs(patterns=patterns, configured=True)
    result = ViewURLs()
    for regexes, pattern in _walk(get_resolver(urlconf).url_patterns, []):
        if not any(c is entry.callback for c in iter_callbacks(pattern.callback)):
            continue
        parts = [regex_to_path(r) for r in regexes]
        if any(p is None for p in parts):
            result.underivable.append("".join(r.removeprefix("^") for r in regexes))
            continue
        path = "/" + "".join(p for p in parts if p)
        if path not in result.patterns:
            result.patterns.append(path)
    return result
