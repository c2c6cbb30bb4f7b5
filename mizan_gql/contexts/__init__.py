"""Contexts: cached root fields, invalidation, the invalidation header, hydration, views.

See docs/contexts.md. Importing this package routes every context function through the
context cache (a call wrapper on the generated resolvers).
"""

from .header import HEADER, Invalidation, encode_invalidations, parse_invalidations
from .invalidation import GROUP, acontext_version, ainvalidate, context_version, invalidate
from .store import CacheUnavailable

__all__ = [
    "GROUP",
    "HEADER",
    "CacheUnavailable",
    "Invalidation",
    "acontext_version",
    "ainvalidate",
    "context_version",
    "encode_invalidations",
    "invalidate",
    "parse_invalidations",
]
