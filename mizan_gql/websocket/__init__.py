"""The WebSocket transport: GraphQL over ``graphql-transport-ws`` and ``graphql-ws``."""

from .asgi import OriginChecked, websocket_urlpatterns
from .consumer import MizanWSConsumer

__all__ = ["MizanWSConsumer", "OriginChecked", "websocket_urlpatterns"]
