"""Signals of what the cache, the operations and the edge do (docs/observability.md).

The features send them; ``mizan_gql.observability`` (the Debug Toolbar panel, the admin's
live counters, OpenTelemetry and ``prometheus_client`` metrics) receives them, and so may a
project's own code::

    from django.dispatch import receiver
    from mizan_gql.signals import context_read

    @receiver(context_read)
    def count(sender, *, context, hit, **kwargs):
        ...

Receivers run synchronously, in the request's thread or event loop, on hot paths (a
context hit sends one): they must be quick and must not raise. With no receiver connected,
sending costs one attribute test (:func:`notify`). ``sender`` is always None.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

__all__ = [
    "context_computed",
    "context_invalidated",
    "context_read",
    "edge_purged",
    "fanout_delivered",
    "notify",
    "operation_executed",
    "subscription_ended",
    "subscription_started",
    "websocket_closed",
    "websocket_opened",
]

# A context entry was read. Arguments: ``context`` (its name), ``function`` (the server
# function's registered name; None for a context endpoint's stored response), ``params``
# (dict), ``scope`` ("public", "anonymous" or "user:<id>"), ``hit`` (bool), ``ttl``
# (seconds the entry lives), ``ttl_left`` (seconds left on a hit, else None) and
# ``source`` ("field": a resolver, "endpoint": /graphql/ctx/<context>/).
context_read = Signal()

# A context function was computed to fill its entry (after a miss). Arguments:
# ``context``, ``function``, ``params``, ``duration`` (seconds).
context_computed = Signal()

# ``invalidate()`` ran. Arguments: ``invalidation`` (an ``Invalidation``: ``.context``,
# ``.params``) and ``source``: "mutation <name>" (``invalidates=``), "admin <user>" or
# "code <module>.<function>" (whatever called ``invalidate()``).
context_invalidated = Signal()

# A purger was called. Arguments: ``purger`` (its class name), ``resolution`` (URLs, tags,
# prefixes), ``outcome`` ("ok"; "retry": it failed and will be retried; "failed": for good).
# Sent by the edge purge task, in whatever thread or worker runs it.
edge_purged = Signal()

# A GraphQL operation ran. Arguments: ``name`` (None when anonymous), ``operation_type``
# ("query", "mutation", "subscription" or None when it never started), ``path``
# ("prepared": a document validated before, run straight on graphql-core; "full":
# Strawberry's pipeline), ``persisted`` (the request sent a persisted-query hash or a
# ``documentId``), ``document`` (the text), ``variables``, ``errors`` (how many) and
# ``duration`` (seconds).
operation_executed = Signal()

# A WebSocket reached mizan_gql's GraphQL consumer (its schema was built and Strawberry's
# handler started). Arguments: ``scope`` (the ASGI scope).
websocket_opened = Signal()

# A WebSocket of ``websocket_opened`` disconnected. Arguments: ``scope``, ``code`` (the
# close code the ASGI server reported).
websocket_closed = Signal()

# A subscription started streaming (it was authorized and listens to its group).
# Arguments: ``subscription`` (the field: a channel's ``graphql_name``, or
# "mizanInvalidations").
subscription_started = Signal()

# A subscription of ``subscription_started`` ended (completed by the client, its socket
# closed, or ended by the server). Arguments: ``subscription``.
subscription_ended = Signal()

# The channels hub of a process handed one layer message to its local subscriptions.
# Arguments: ``message_type`` (the layer message's type: "mizan.channel.message" for a
# channel's broadcast, "mizan.invalidate" for invalidation events) and ``deliveries`` (how
# many local subscriptions received it).
fanout_delivered = Signal()


def notify(signal: Signal, **kwargs: Any) -> None:
    """Send ``signal`` (sender None) when a receiver is connected; otherwise do nothing."""
    if signal.receivers:
        signal.send(None, **kwargs)
