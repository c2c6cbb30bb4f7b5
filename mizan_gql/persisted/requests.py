"""Where a request names a persisted document: GraphQL-over-HTTP's ``documentId``, or
Relay's ``doc_id``, read on every HTTP transport (the GraphQL endpoint and the SSE stream).
"""

from __future__ import annotations

from typing import Any

from ..constants import DOCUMENT_ID, RELAY_DOCUMENT_ID

__all__ = ["DOCUMENT_ID_FIELDS", "fold_document_id", "names_a_document"]

# Where a request names a persisted document, in the order they are looked for.
DOCUMENT_ID_FIELDS = (DOCUMENT_ID, RELAY_DOCUMENT_ID)


def names_a_document(data: Any) -> bool:
    """Whether a request (folded by :func:`fold_document_id`) names a document by id."""
    extensions = data.get("extensions") if isinstance(data, dict) else None
    return isinstance(extensions, dict) and DOCUMENT_ID in extensions


def fold_document_id(data: Any) -> Any:
    """Move GraphQL-over-HTTP's ``documentId`` (or Relay's ``doc_id``, when there is no
    ``documentId``) into the request's extensions as ``documentId``, where the
    persisted-query extension reads it (Strawberry's request data has no place for it).

    Extensions that are not an object are left for Strawberry to refuse.
    """
    if isinstance(data, list):
        return [fold_document_id(item) for item in data]
    if not isinstance(data, dict):
        return data
    field = next((name for name in DOCUMENT_ID_FIELDS if name in data), None)
    if field is None:
        return data
    extensions = data.get("extensions")
    if extensions is None:
        extensions = {}
    if not isinstance(extensions, dict):
        return data
    folded = {key: value for key, value in data.items() if key != field}
    folded["extensions"] = {**extensions, DOCUMENT_ID: data[field]}
    return folded
