"""Contexts: cached root fields, invalidation, the invalidation header, hydration, views.

See docs/contexts.md. The cache wraps context functions through the contexts' plugin
(:data:`~mizan_gql.contexts.plugin.CONTEXTS`), which mizan_gql registers when Django
starts.
"""

from ..invalidation_header import HEADER, Invalidation, encode_invalidations, parse_invalidations
from .cache import cached_call, is_cached_call
from .endpoint import ContextRequest, context_view, prepare, respond
from .extension import ContextsExtension
from .invalidation import (
    GROUP,
    acontext_version,
    ainvalidate,
    context_version,
    invalidate,
    invalidation_source,
)
from .middleware import ContextCacheMiddleware, InvalidationMiddleware
from .on_commit import invalidate_on_commit
from .operation import ContextOperation, context_operation
from .pages import ViewEntry, registered_views, view
from .policy import context_cache_headers, context_policy, context_tags, invalidation_tags
from .querysets import InvalidatingQuerySet, invalidate_queryset
from .store import CacheUnavailable
from .viewurls import view_urls

__all__ = [
    "GROUP",
    "HEADER",
    "CacheUnavailable",
    "ContextCacheMiddleware",
    "ContextOperation",
    "ContextRequest",
    "ContextsExtension",
    "Invalidation",
    "InvalidatingQuerySet",
    "InvalidationMiddleware",
    "ViewEntry",
    "acontext_version",
    "ainvalidate",
    "cached_call",
    "context_cache_headers",
    "context_operation",
    "context_policy",
    "context_tags",
    "context_version",
    "context_view",
    "encode_invalidations",
    "invalidate",
    "invalidation_source",
    "invalidate_on_commit",
    "invalidate_queryset",
    "invalidation_tags",
    "is_cached_call",
    "parse_invalidations",
    "prepare",
    "registered_views",
    "respond",
    "view",
    "view_urls",
]
