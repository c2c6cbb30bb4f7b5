"""The ``X-Mizan-Invalidate`` header: which contexts a response invalidated.

The wire format shared by the contexts (which write it), the ``mizanInvalidations``
subscription and the edge (which read it). Grammar (documented for edge implementers in
docs/contexts.md)::

    header  = entry *( ", " entry )
    entry   = context *( ";" key "=" value )      ; keys sorted, each at most once
    context, key, value = percent-encoded UTF-8 (RFC 3986 unreserved characters stay)

``user`` invalidates the whole context, ``user;user_id=5`` one parameter set. Because
everything but ``A-Z a-z 0-9 - . _ ~`` is percent-encoded, values containing ``; , = %``,
spaces, CR/LF or non-ASCII text can neither break an entry nor inject a header.

Sizes are bounded: an entry longer than :data:`MAX_ENTRY` encoded bytes is replaced by the
whole context (coarser, never lost), and a header longer than :data:`MAX_HEADER` by the
whole contexts its entries name (:func:`bounded`), so no proxy or client refuses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from pydantic_core import to_jsonable_python

from .constants import INVALIDATE_HEADER

__all__ = [
    "HEADER",
    "MAX_ENTRY",
    "MAX_HEADER",
    "Invalidation",
    "bounded",
    "encode_invalidations",
    "is_too_long",
    "parse_invalidations",
    "value_text",
    "whole_context",
]

HEADER = INVALIDATE_HEADER
# The longest entry (encoded) an invalidation keeps its parameters in; a longer one stands
# for its whole context.
MAX_ENTRY = 1024
# The longest X-Mizan-Invalidate value: well under the 8 KiB many proxies and servers take.
MAX_HEADER = 8192


@dataclass(frozen=True)
class Invalidation:
    """One invalidated context, optionally narrowed to parameter values.

    ``params`` empty means the whole context. Values are what was passed to
    ``invalidate()``; after :func:`parse_invalidations` they are strings.
    """

    context: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text_params(self) -> dict[str, str]:
        """The parameters as the strings that go on the wire (sorted by name)."""
        return {key: value_text(self.params[key]) for key in sorted(self.params)}

    def as_event(self) -> dict[str, Any]:
        """The JSON-compatible form published on the channel layer."""
        return {
            "context": self.context,
            "params": {k: to_jsonable_python(v) for k, v in sorted(self.params.items())},
        }

    def __hash__(self) -> int:
        return hash((self.context, tuple(self.text_params().items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Invalidation):
            return NotImplemented
        return self.context == other.context and self.text_params() == other.text_params()

    def __str__(self) -> str:
        return encode_invalidations([self])


def value_text(value: Any) -> str:
    """A parameter value as text: strings as they are, other values as JSON (``5``, ``true``)."""
    if isinstance(value, str):
        return value
    jsonable = to_jsonable_python(value)
    if isinstance(jsonable, str):  # dates, UUIDs, Decimals, enums of str
        return jsonable
    return json.dumps(jsonable, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _quote(text: str) -> str:
    return quote(text, safe="", encoding="utf-8", errors="strict")


def encode_invalidations(entries: Iterable[Invalidation]) -> str:
    """Entries -> header value, in order, duplicates dropped; ``""`` when there are none."""
    seen: set[Invalidation] = set()
    parts = []
    for entry in entries:
        if entry in seen:
            continue
        seen.add(entry)
        pieces = [_quote(entry.context)]
        pieces.extend(f"{_quote(k)}={_quote(v)}" for k, v in entry.text_params().items())
        parts.append(";".join(pieces))
    return ", ".join(parts)


def whole_context(entry: Invalidation) -> Invalidation:
    return Invalidation(entry.context, {})


def is_too_long(entry: Invalidation) -> bool:
    """Whether ``entry`` encodes to more than :data:`MAX_ENTRY` bytes."""
    return len(encode_invalidations([entry])) > MAX_ENTRY


def bounded(entries: Iterable[Invalidation]) -> list[Invalidation]:
    """``entries``, or the whole contexts they name when they encode to more than
    :data:`MAX_HEADER` bytes together (what is invalidated only grows, nothing is lost)."""
    entries = list(entries)
    if len(encode_invalidations(entries)) <= MAX_HEADER:
        return entries
    return list(dict.fromkeys(whole_context(entry) for entry in entries))


def parse_invalidations(header: str) -> list[Invalidation]:
    """Header value -> entries (parameter values as strings).

    Raises :class:`ValueError` on anything :func:`encode_invalidations` cannot produce,
    so an edge can refuse a forged or corrupted header instead of guessing.
    """
    entries: list[Invalidation] = []
    if not header.strip():
        return entries
    for raw in header.split(","):
        raw = raw.strip(" \t")
        if not raw:
            raise ValueError(f"empty entry in {header!r}")
        context_text, *pairs = raw.split(";")
        context = _unquote(context_text, header)
        if not context:
            raise ValueError(f"entry without a context name in {header!r}")
        params: dict[str, str] = {}
        for pair in pairs:
            key_text, equals, value_text_ = pair.partition("=")
            key = _unquote(key_text, header)
            if not equals or not key:
                raise ValueError(f"parameter without `name=` in {header!r}")
            if key in params:
                raise ValueError(f"parameter {key!r} given twice in {header!r}")
            params[key] = _unquote(value_text_, header)
        entries.append(Invalidation(context, params))
    return entries


_ALLOWED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%")


def _unquote(text: str, header: str) -> str:
    if not set(text) <= _ALLOWED:
        raise ValueError(f"unencoded character in {header!r}")
    try:
        return unquote(text, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ValueError(f"invalid percent-encoding in {header!r}") from exc
