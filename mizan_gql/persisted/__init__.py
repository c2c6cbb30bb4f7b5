"""Persisted queries: generated operations, Apollo APQ, trusted mode, the document cache."""

from .documents import DocumentCache, document_cache
from .extension import MODES, PersistedQueries
from .hashing import document_hash, is_sha256
from .operations import Operation, OperationSet, context_field_name, operations_for

__all__ = [
    "MODES",
    "DocumentCache",
    "Operation",
    "OperationSet",
    "PersistedQueries",
    "context_field_name",
    "document_cache",
    "document_hash",
    "is_sha256",
    "operations_for",
]
