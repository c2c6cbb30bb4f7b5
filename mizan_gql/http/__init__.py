from .views import GraphQLView

__all__ = ["GraphQLView"]
