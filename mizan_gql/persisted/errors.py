"""The errors of the persisted-query protocol, in the shape Apollo's clients expect.

Apollo's persisted-queries link recognises ``PersistedQueryNotFound`` (retry with the
full document) and ``PersistedQueryNotSupported`` (stop hashing) by message or by
``extensions.code``; both are given.
"""

from __future__ import annotations

from graphql import GraphQLError

__all__ = [
    "PersistedQueryError",
    "hash_mismatch",
    "malformed",
    "not_found",
    "not_supported",
    "not_trusted",
]


class PersistedQueryError(GraphQLError):
    """A refusal before parsing; ``status`` is the HTTP status the view should answer."""

    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message, extensions={"code": code})
        self.status = status


def not_found() -> PersistedQueryError:
    return PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")


def not_supported() -> PersistedQueryError:
    return PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")


def not_trusted(what: str) -> PersistedQueryError:
    return PersistedQueryError(
        f"This server only runs its generated operations and {what} is not one of them. "
        "Send a document from `manage.py export_persisted_queries` (or its sha256Hash).",
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
