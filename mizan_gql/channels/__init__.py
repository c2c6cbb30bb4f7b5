"""Channels as GraphQL subscriptions: ``ReactChannel``, broadcasting and ``wrap_asgi``."""

from .asgi import wrap_asgi
from .base import ReactChannel

__all__ = ["ReactChannel", "wrap_asgi"]
