"""Persisted queries: generated operations, Apollo APQ, trusted mode, the document cache."""

from ..conf import PERSISTED_QUERY_MODES as MODES
from ..schema.hashing import document_hash, is_sha256
from ..schema.operations import Operation, OperationSet, context_field_name, operations_for
from .documents import DocumentCache, document_cache
from .extension import PersistedQueries

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
