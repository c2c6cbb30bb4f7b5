"""The trusted documents of a schema: generated operations plus ``MIZAN["TRUSTED_DOCUMENTS"]``.

Every document is known by the SHA-256 of its text and by the SHA-256 of the text Apollo
Client sends for it (``__typename`` added, :mod:`~mizan_gql.persisted.typename`), so an
Apollo client with its default cache runs them in trusted mode too. A manifest document
is also known by the id its tool gave it, which a client sends as ``documentId``.

These documents run in every mode without registration, and are the only ones the
``trusted`` mode runs. The set is built once per schema (settings changes rebuild the
schema); a manifest that cannot be read is logged here and reported by ``manage.py check``
(``mizan_gql.E084``), and its documents are left out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ..schema.hashing import document_hash
from ..schema.operations import operations_for
from .manifests import Manifest, manifest_paths, read_manifest
from .typename import apollo_form

__all__ = ["TrustedDocuments", "trusted_documents"]

logger = logging.getLogger("mizan_gql")


@dataclass(frozen=True)
class TrustedDocuments:
    """Trusted document texts by sha256, and the sha256 of each manifest id."""

    by_hash: dict[str, str]
    by_id: dict[str, str]

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

    def add(text: str) -> str:
        sha256 = document_hash(text)
        by_hash.setdefault(sha256, text)
        apollo = apollo_form(text)
        if apollo is not None:
            by_hash.setdefault(document_hash(apollo), apollo)
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
    return TrustedDocuments(by_hash=by_hash, by_id=by_id)
