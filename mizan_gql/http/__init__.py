"""The HTTP transport: ``/graphql`` (``GraphQLView``), and the contexts' HTTP parts under
the names the documentation gives them (``mizan_gql.http.ContextCacheMiddleware``,
``mizan_gql.http.ContextCacheASGI``), and ``OneThreadASGIHandler``."""

from ..contexts.asgi import ContextCacheASGI
from ..contexts.endpoint import context_view
from ..contexts.middleware import ContextCacheMiddleware
from .graphql_view import GraphQLView
from .handler import OneThreadASGIHandler

__all__ = [
    "ContextCacheASGI",
    "ContextCacheMiddleware",
    "GraphQLView",
    "OneThreadASGIHandler",
    "context_view",
]
