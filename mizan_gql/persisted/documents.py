"""Parsed and validated documents, kept per schema so no document is handled twice.

graphql-core's validation of even a tiny document costs far more than a whole plain
Django request, so a document seen before (persisted, generated or simply repeated)
reuses its parsed AST and its validation result. Entries are keyed by the document's
SHA-256 and by the parse options / validation rules in force; the cache lives on the
schema object, so rebuilding the schema (settings changed) starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, get_operation_ast

from .trusted import trusted_documents

__all__ = ["CachedDocument", "DocumentCache", "document_cache", "rules_key"]

# Distinct ad-hoc documents remembered per schema; generated documents are pinned.
MAX_DOCUMENTS = 1000


@dataclass
class CachedDocument:
    text: str
    document: DocumentNode | None = None
    parse_key: tuple[Any, ...] | None = None
    validations: dict[tuple[str, ...], list[GraphQLError]] = field(default_factory=dict)
    pinned: bool = False
    registered: bool = False
    # Operations of the document by requested operation name, once looked up by a
    # prepared query; None when the name picks no operation.
    operations: dict[str | None, OperationDefinitionNode | None] = field(default_factory=dict)

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The operation ``name`` picks in the document (None if it picks none)."""
        try:
            return self.operations[name]
        except KeyError:
            assert self.document is not None
            node = get_operation_ast(self.document, name)
            if len(self.operations) < 16:  # names are the client's: stay bounded
                self.operations[name] = node
            return node


class DocumentCache:
    """A bounded LRU of documents by hash; generated (trusted) documents never leave it."""

    def __init__(self, maxsize: int = MAX_DOCUMENTS) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, CachedDocument] = OrderedDict()
        self._lock = threading.Lock()
        # The validation rules of the schema's operations (see PersistedQueries).
        self.rules_key: tuple[str, ...] | None = None

    def get(self, sha256: str) -> CachedDocument | None:
        entry = self._entries.get(sha256)
        if entry is not None and not entry.pinned:
            with self._lock:
                if sha256 in self._entries:
                    self._entries.move_to_end(sha256)
        return entry

    def add(self, sha256: str, text: str, *, pinned: bool = False) -> CachedDocument:
        with self._lock:
            entry = self._entries.get(sha256)
            if entry is None:
                entry = self._entries[sha256] = CachedDocument(text=text, pinned=pinned)
                self._evict()
            return entry

    def _evict(self) -> None:
        unpinned = [k for k, v in self._entries.items() if not v.pinned]
        for key in unpinned[: max(0, len(unpinned) - self.maxsize)]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


def document_cache(schema: Any) -> DocumentCache:
    """The schema's document cache (created on first use, trusted documents pinned)."""
    return schema.derived("documents", lambda: _new_cache(schema))  # type: ignore[no-any-return]


def _new_cache(schema: Any) -> DocumentCache:
    cache = DocumentCache()
    for sha256, text in trusted_documents(schema).by_hash.items():
        cache.add(sha256, text, pinned=True)
    return cache


_rules_keys: dict[tuple[type, ...], tuple[str, ...]] = {}


def rules_key(rules: Iterable[type]) -> tuple[str, ...]:
    # Limiter extensions build their rule classes per request; with the same settings
    # they are the same rules, so they are identified by name (the settings are part
    # of the schema whose cache this is).
    classes = tuple(rules)
    key = _rules_keys.get(classes)
    if key is None:
        key = tuple(r.__qualname__ for r in classes)
        if len(_rules_keys) >= 256:  # rule classes built per request: stay bounded
            _rules_keys.clear()
        _rules_keys[classes] = key
    return key
