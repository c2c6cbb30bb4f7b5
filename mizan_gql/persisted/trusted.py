"""The trusted documents of a schema: generated operations plus ``MIZAN["TRUSTED_DOCUMENTS"]``.

Every document is known by the SHA-256 of its text and by the SHA-256 of the text Apollo
Client sends for it (``__typename`` added, :mod:`~mizan_gql.persisted.typename`), so an
Apollo client with its default cache runs them in trusted mode too, even by hash alone. A
manifest document is also known by the id its tool gave it, which a client sends as
``documentId``. A text that differs from a trusted document only in layout, comments or
added ``__typename`` fields (urql's, or another printer's) is admitted too: both have the
same canonical form (:meth:`TrustedDocuments.admits`).

These documents run in every mode without registration, and are the only ones the
``trusted`` mode runs. The set is built once per schema (settings changes rebuild the
schema); a manifest that cannot be read is logged here and reported by ``manage.py check``
(``mizan_gql.E084``), and its documents are left out.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from ..conf import mizan_settings
from ..schema.hashing import document_hash
from ..schema.operations import operations_for
from .manifests import Manifest, manifest_paths, read_manifest
from .typename import apollo_form, canonical_form

__all__ = ["TrustedDocuments", "read_manifests", "trusted_documents"]

logger = logging.getLogger("mizan_gql")

# Texts found equivalent to a trusted document, remembered (their hashes) per schema.
MAX_ADMITTED = 1000


@dataclass(frozen=True)
class TrustedDocuments:
    """Trusted document texts by sha256, the sha256 of each manifest id, and the hashes
    of their canonical forms."""

    by_hash: dict[str, str]
    by_id: dict[str, str]
    canonical: frozenset[str]
    _admitted: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admits(self, text: str, sha256: str) -> bool:
        """Whether ``text`` (of hash ``sha256``) is a trusted document, or one written
        differently: its canonical form (parsed, ``__typename`` fields as Apollo adds them,
        printed) is a trusted document's. Parses at most ``MAX_DOCUMENT_SIZE`` bytes."""
        if sha256 in self.by_hash or sha256 in self._admitted:
            return True
        if len(text.encode("utf-8")) > mizan_settings.MAX_DOCUMENT_SIZE:
            return False
        canonical = canonical_form(text)
        if canonical is None or document_hash(canonical) not in self.canonical:
            return False
        with self._lock:
            if len(self._admitted) >= MAX_ADMITTED:
                self._admitted.clear()
            self._admitted.add(sha256)
        return True

    def find(self, document_id: str) -> str | None:
        """The sha256 of the document a bare ``documentId`` names, if trusted."""
        sha256 = self.by_id.get(document_id)
        if sha256 is None and document_id in self.by_hash:
            sha256 = document_id
        return sha256


def trusted_documents(schema: Any) -> TrustedDocuments:
    """The schema's trusted documents, computed once and kept on it."""
    return schema.derived("trusted documents", lambda: _collect(schema))  # type: ignore[no-any-return]


def read_manifests() -> list[Manifest]:
    """Every manifest of ``MIZAN["TRUSTED_DOCUMENTS"]``, read now."""
    return [read_manifest(path) for path in manifest_paths()]


def _collect(schema: Any) -> TrustedDocuments:
    by_hash: dict[str, str] = {}
    by_id: dict[str, str] = {}
    canonical: set[str] = set()

    def add(text: str) -> str:
        sha256 = document_hash(text)
        by_hash.setdefault(sha256, text)
        apollo = apollo_form(text)
        if apollo is not None:
            by_hash.setdefault(document_hash(apollo), apollo)
        form = canonical_form(text)
        if form is not None:
            canonical.add(document_hash(form))
        return sha256

    for operation in operations_for(schema).by_hash.values():
        add(operation.document)
    for manifest in read_manifests():
        for problem in manifest.problems:
            logger.error("MIZAN['TRUSTED_DOCUMENTS']: %s %s", manifest.path, problem)
        for document in manifest.documents:
            if apollo_form(document.text) is None:
                logger.error(
                    "MIZAN['TRUSTED_DOCUMENTS']: a document of %s does not parse; left out",
                    manifest.path,
                )
                continue
            sha256 = add(document.text)
            if document.id is not None:
                by_id.setdefault(document.id, sha256)
    return TrustedDocuments(by_hash=by_hash, by_id=by_id, canonical=frozenset(canonical))
