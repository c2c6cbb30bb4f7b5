"""Channels as GraphQL subscriptions: ``ReactChannel``, broadcasting and ``wrap_asgi``."""

from . import checks as _checks  # noqa: F401  (registers the system checks)
from .asgi import wrap_asgi
from .base import ReactChannel

__all__ = ["ReactChannel", "wrap_asgi"]
