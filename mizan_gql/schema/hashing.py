"""The identity of a document: the SHA-256 of its exact text, as Apollo's clients compute it."""

from __future__ import annotations

import hashlib
import re

__all__ = ["SHA256_RE", "document_hash", "is_sha256"]

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def document_hash(document: str) -> str:
    """Lowercase hex SHA-256 of ``document`` encoded as UTF-8."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def is_sha256(value: object) -> bool:
    """True for a 64-character lowercase hex string (the only form Apollo sends)."""
    return isinstance(value, str) and SHA256_RE.match(value) is not None
