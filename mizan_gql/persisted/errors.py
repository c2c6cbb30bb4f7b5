"""The errors of the persisted-query protocol, in the shape Apollo's clients expect.

Apollo's persisted-queries link recognises ``PersistedQueryNotFound`` (retry with the
full document) and ``PersistedQueryNotSupported`` (stop hashing) by message or by
``extensions.code``; both are given (urql's exchange and Apollo's mobile clients read the
message only, mizan's generated client the code).
"""

from __future__ import annotations

from graphql import GraphQLError

__all__ = [
    "PersistedQueryError",
    "PersistedQueryNotFound",
    "document_not_found",
    "hash_mismatch",
    "malformed_document_id",
    "malformed",
    "not_found",
    "not_found_trusted",
    "not_supported",
    "not_trusted",
    "registrations_limited",
]


class PersistedQueryError(GraphQLError):
    """A refusal before parsing; ``status`` is the HTTP status the view should answer."""

    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message, extensions={"code": code})
        self.status = status


class PersistedQueryNotFound(PersistedQueryError):
    """An unknown hash sent alone: the client is expected to register its document next."""

    def __init__(self, sha256: str) -> None:
        super().__init__("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        self.sha256 = sha256


def not_found(sha256: str) -> PersistedQueryNotFound:
    return PersistedQueryNotFound(sha256)


def not_found_trusted() -> PersistedQueryError:
    """An unknown hash sent alone in trusted mode: the client resends the document, which
    runs if it is trusted (no registration, so no registration budget is spent)."""
    return PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")


def not_supported() -> PersistedQueryError:
    return PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")


def registrations_limited(limit: int, window: int) -> PersistedQueryError:
    """A client out of APQ registrations: told to stop hashing, in the words every APQ
    client knows, so that it resends the document as plain text (which runs)."""
    error = not_supported()
    assert error.extensions is not None
    error.extensions["reason"] = (
        f"This client made {limit} persisted-query registrations within {window} seconds, "
        "the most MIZAN['APQ_MAX_REGISTRATIONS'] allows: send the document without "
        "extensions.persistedQuery (it runs), or register it later."
    )
    return error


def not_trusted(what: str) -> PersistedQueryError:
    return PersistedQueryError(
        f"This server only runs its trusted documents and {what} is not one of them. "
        "Send a document from `manage.py export_persisted_queries` (or its sha256Hash), "
        "or add it to a manifest of MIZAN['TRUSTED_DOCUMENTS'].",
        "PERSISTED_QUERY_NOT_IN_LIST",
    )


def malformed(detail: str) -> PersistedQueryError:
    return PersistedQueryError(
        f"Invalid extensions.persistedQuery: {detail}. "
        'Send {"version": 1, "sha256Hash": "<64 lowercase hex characters>"}.',
        "BAD_REQUEST",
        status=400,
    )


def hash_mismatch() -> PersistedQueryError:
    return PersistedQueryError(
        "The sha256Hash of extensions.persistedQuery does not match the query; "
        "nothing was registered. Hash the exact query text you send (UTF-8, hex digest).",
        "PERSISTED_QUERY_HASH_MISMATCH",
        status=400,
    )


def document_not_found(document_id: str) -> PersistedQueryError:
    """A ``documentId`` no trusted (or, in mode "apq", registered) document has."""
    shown = document_id if len(document_id) <= 80 else document_id[:77] + "..."
    return PersistedQueryError(
        f"PersistedQueryNotFound: no document has the documentId {shown!r}. Send an id from "
        "MIZAN['TRUSTED_DOCUMENTS'] or `manage.py export_persisted_queries` "
        '("sha256:<hex>" or the id the manifest gives).',
        "PERSISTED_QUERY_NOT_FOUND",
    )


def malformed_document_id(detail: str) -> PersistedQueryError:
    return PersistedQueryError(
        f"Invalid documentId: {detail}. "
        'Send "sha256:<64 lowercase hex characters>" or an id from a trusted manifest, alone '
        "(without query or extensions.persistedQuery).",
        "BAD_REQUEST",
        status=400,
    )
