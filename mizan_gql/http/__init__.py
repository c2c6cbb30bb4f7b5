"""The HTTP transport: ``/graphql`` (``GraphQLView``), and the contexts' HTTP parts under
the names the documentation gives them (``mizan_gql.http.ContextCacheMiddleware``)."""

from ..contexts.endpoint import context_view
from ..contexts.middleware import ContextCacheMiddleware
from .graphql_view import GraphQLView

__all__ = ["ContextCacheMiddleware", "GraphQLView", "context_view"]
