"""A context's HTTP cache policy: ``Cache-Control`` and CDN tag headers.

Used by GraphQL responses, ``@view`` responses and the context GET endpoint alike, so a
context is described the same way wherever it is served.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..conf import mizan_settings
from ..constants import TAG_HEADERS
from ..invalidation_header import value_text
from ..registry.core import get_registry
from ..registry.entry import ClientFunction

__all__ = [
    "TAG_HEADERS",
    "ContextPolicy",
    "context_cache_headers",
    "context_policy",
    "context_tags",
    "invalidation_tags",
]

_STRICTNESS = {"public": 0, "private": 1, "none": 2}


@dataclass(frozen=True)
class ContextPolicy:
    """How a context may be cached: ``public``, ``private`` or ``none``, and for how long."""

    cache: str
    ttl: int

    @property
    def cache_control(self) -> str:
        if self.cache == "public":
            return f"public, s-maxage={self.ttl}"
        if self.cache == "private":
            return "private"
        return "no-store"


def strictest(policies: Iterable[str]) -> str:
    """The most restrictive of cache policies (``none`` > ``private`` > ``public``)."""
    return max(policies, key=lambda c: _STRICTNESS.get(c, 2))


def restrict(response: Any, cache_control: str) -> None:
    """Make ``response`` at least as private as ``cache_control`` (never loosen it)."""
    current = response.get("Cache-Control", "")
    if cache_control == "no-store" and "no-store" not in current:
        response["Cache-Control"] = "no-store"
    elif not current or "public" in current or "s-maxage" in current:
        response["Cache-Control"] = cache_control
    if "public" not in response["Cache-Control"]:
        for header in TAG_HEADERS:
            if header in response:
                del response[header]


def entry_ttl(entry: ClientFunction) -> int:
    ttl = entry.options.ttl
    return int(mizan_settings.DEFAULT_TTL if ttl is None else ttl)


def policy_of(entries: Iterable[ClientFunction]) -> ContextPolicy:
    """The strictest policy and the shortest ttl of the functions (none > private > public)."""
    entries = list(entries)
    if not entries:
        return ContextPolicy("private", int(mizan_settings.DEFAULT_TTL))
    cache = strictest(e.options.cache for e in entries)
    return ContextPolicy(cache, min(entry_ttl(e) for e in entries))


def context_policy(context: str) -> ContextPolicy:
    return policy_of(get_registry().contexts().get(context, ()))


def _tag_part(text: str) -> str:
    # Tag headers are space separated: encode exactly like X-Mizan-Invalidate values.
    return quote(text, safe="")


def context_tags(context: str, params: Mapping[str, Any]) -> list[str]:
    """``ctx:user``, ``ctx:user:user_id=5`` per parameter, and the full set when several."""
    tags = [f"ctx:{_tag_part(context)}"]
    pairs = [f"{_tag_part(k)}={_tag_part(value_text(params[k]))}" for k in sorted(params)]
    tags.extend(f"ctx:{_tag_part(context)}:{pair}" for pair in pairs)
    if len(pairs) > 1:
        tags.append(f"ctx:{_tag_part(context)}:{';'.join(pairs)}")
    return tags


def invalidation_tags(context: str, params: Mapping[str, Any]) -> list[str]:
    """The tags to purge for ``invalidate(context, **params)``.

    One tag for the whole context, one parameter or the full parameter set; one per
    parameter when only some of several are named (purging a little more, never less).
    """
    tags = context_tags(context, params)
    if len(params) <= 1:
        return [tags[-1]]
    entries = get_registry().contexts().get(context)
    declared = {p.name for p in entries[0].params} if entries else set(params)
    return [tags[-1]] if set(params) == declared else tags[1:-1]


def context_cache_headers(context: str, params: Mapping[str, Any]) -> dict[str, str]:
    """``Cache-Control`` (and tag headers for public contexts) for a successful response."""
    policy = context_policy(context)
    headers = {"Cache-Control": policy.cache_control}
    if policy.cache == "public":
        tags = context_tags(context, params)
        headers["Surrogate-Key"] = headers["xkey"] = " ".join(tags)
        headers["Cache-Tag"] = ",".join(tags)  # Cloudflare separates tags by commas
    return headers
