"""The WebSocket transport: GraphQL over ``graphql-transport-ws`` and ``graphql-ws``."""

from .asgi import wrap_asgi
from .consumer import MizanWSConsumer

__all__ = ["MizanWSConsumer", "wrap_asgi"]
