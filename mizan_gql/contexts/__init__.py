"""Contexts: cached root fields, invalidation, the invalidation header, hydration, views.

See docs/contexts.md. Importing this package routes every context function through the
context cache (a call wrapper on the generated resolvers).
"""

from ..schema.fields import add_call_wrapper
from . import checks as _checks  # noqa: F401  (registers the contexts' system checks)
from .cache import cached_call, is_cached_call
from .extension import ContextsExtension
from .header import HEADER, Invalidation, encode_invalidations, parse_invalidations
from .invalidation import GROUP, acontext_version, ainvalidate, context_version, invalidate
from .policy import context_cache_headers, context_policy, context_tags, invalidation_tags
from .store import CacheUnavailable
from .views import ViewEntry, registered_views, view
from .viewurls import view_urls

add_call_wrapper(cached_call, is_cached_call)

__all__ = [
    "GROUP",
    "HEADER",
    "CacheUnavailable",
    "ContextsExtension",
    "ViewEntry",
    "Invalidation",
    "acontext_version",
    "ainvalidate",
    "context_cache_headers",
    "context_policy",
    "context_tags",
    "context_version",
    "encode_invalidations",
    "invalidate",
    "invalidation_tags",
    "parse_invalidations",
    "registered_views",
    "view",
    "view_urls",
]
