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
sending costs one attribute test. ``sender`` is always None.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = [
    "context_computed",
    "context_invalidated",
    "context_read",
    "edge_purged",
    "operation_executed",
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
# prefixes), ``outcome`` ("ok" or "failed").
edge_purged = Signal()

# A GraphQL operation ran. Arguments: ``name`` (None when anonymous), ``operation_type``
# ("query", "mutation", "subscription" or None when it never started), ``path``
# ("prepared": a document validated before, run straight on graphql-core; "full":
# Strawberry's pipeline), ``persisted`` (the request sent a persisted-query hash),
# ``document`` (the text), ``variables``, ``errors`` (how many) and ``duration`` (seconds).
operation_executed = Signal()
