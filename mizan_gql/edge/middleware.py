"""``EdgePurgeMiddleware``: purge the edge after every request that invalidated a context.

Add it to ``MIDDLEWARE`` (first, so it sees every invalidation made by views, GraphQL
mutations, other middleware and signal handlers) and configure ``MIZAN["EDGE_PURGERS"]``::

    MIDDLEWARE = ["mizan_gql.edge.EdgePurgeMiddleware", ...]

The purge runs once the response is ready, before it is returned, so a client that saw the
mutation's answer never reads a stale page from the edge afterwards. Code outside a
request (tasks, commands) calls :func:`purge` with what it invalidated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest

from ..contexts.middleware import CollectingMiddleware
from ..invalidation_header import Invalidation
from ..schema import get_schema
from ..signals import edge_purged
from .manifest import generate_edge_manifest
from .purgers import get_purgers
from .resolver import Resolution, resolve

__all__ = ["EdgePurgeMiddleware", "purge"]

logger = logging.getLogger("mizan_gql.edge")


def purge(invalidations: Iterable[Invalidation]) -> Resolution:
    """Resolve ``invalidations`` with the site's manifest and call every configured purger.

    Returns what was purged. Errors of a purger are logged, never raised.
    """
    entries = list(invalidations)
    purgers = get_purgers()
    if not entries or not purgers:
        return Resolution()
    resolution = resolve(entries, _manifest())
    if resolution.ignored:
        logger.warning("Edge purge ignored unknown entries: %s", ", ".join(resolution.ignored))
    if not resolution:
        return resolution
    for purger in purgers:
        outcome = "ok"
        try:
            purger.purge(resolution)
        except Exception:
            outcome = "failed"
            logger.exception("Edge purger %s failed", type(purger).__name__)
        if edge_purged.receivers:
            edge_purged.send(
                None, purger=type(purger).__name__, resolution=resolution, outcome=outcome
            )
    return resolution


def site_manifest() -> dict[str, Any]:
    """The site's edge manifest, computed once per schema."""
    return _manifest()


def _manifest() -> dict[str, Any]:
    # Computed once per schema; a settings change (override_settings) builds a new schema.
    return get_schema().derived("edge_manifest", generate_edge_manifest)


class EdgePurgeMiddleware(CollectingMiddleware):
    """Collect the request's invalidations and hand them to the purgers afterwards."""

    def finish(self, request: HttpRequest, response: Any, entries: list[Any]) -> Any:
        if entries:
            _safe_purge(entries)
        return response

    async def afinish(self, request: HttpRequest, response: Any, entries: list[Any]) -> Any:
        if entries:
            # Purgers do blocking network I/O; keep it off the event loop.
            await sync_to_async(_safe_purge, thread_sensitive=False)(list(entries))
        return response


def _safe_purge(entries: list[Invalidation]) -> None:
    try:
        purge(entries)
    except Exception:  # a broken manifest or purger setting must not turn a success into a 500
        logger.exception("Edge purge failed for %s", ", ".join(map(str, entries)))
