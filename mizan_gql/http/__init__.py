from .context_cache import ContextCacheMiddleware
from .views import GraphQLView

__all__ = ["ContextCacheMiddleware", "GraphQLView"]
