"""Channels as GraphQL subscriptions: ``ReactChannel`` and broadcasting.

The WebSocket transport that serves them is :mod:`mizan_gql.websocket` (``wrap_asgi``).
"""

from .base import ReactChannel

__all__ = ["ReactChannel"]
