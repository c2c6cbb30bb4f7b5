"""``EdgePurgeMiddleware``: one edge purge per request, handed over after the response.

Purges do not need it: every invalidation reaches the edge purge task after its
transaction commits (:mod:`mizan_gql.edge.handoff`). The middleware gathers a request's
invalidations into one purge instead, made once the response is ready (after
``ATOMIC_REQUESTS`` committed) and sent in the background, so the response never waits for
the edge. Put it first in ``MIDDLEWARE`` to see what every other middleware invalidates::

    MIDDLEWARE = ["mizan_gql.edge.EdgePurgeMiddleware", ...]
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from django.http import HttpRequest

from ..contexts.invalidation import collecting
from ..contexts.middleware import HybridMiddleware
from ..invalidation_header import Invalidation
from .handoff import collected_by_middleware, hand_over, site_manifest
from .purgers import get_purgers
from .resolver import Resolution, resolve
from .tasks import enqueue_purge

__all__ = ["EdgePurgeMiddleware", "purge"]

logger = logging.getLogger("mizan_gql.edge")


def purge(invalidations: Iterable[Invalidation]) -> Resolution:
    """Resolve ``invalidations`` with the site's manifest and enqueue the edge purge task
    now, on this thread (with the immediate backend: purge here, retries aside).

    Returns what is purged. Invalidations are handed to the task by themselves; this is
    for code that wants the purge made before it goes on.
    """
    entries = list(invalidations)
    purgers = get_purgers()
    if not entries or not purgers:
        return Resolution()
    resolution = resolve(entries, site_manifest())
    if resolution.ignored:
        logger.warning("Edge purge ignored unknown entries: %s", ", ".join(resolution.ignored))
    if resolution:
        what = Resolution(resolution.urls, resolution.tags, resolution.prefixes)
        enqueue_purge(what, list(range(len(purgers))))
    return resolution


class EdgePurgeMiddleware(HybridMiddleware):
    """Collect the request's invalidations and hand them over as one purge afterwards."""

    def _call(self, request: HttpRequest) -> Any:
        token = collected_by_middleware.set(True)
        try:
            with collecting() as entries:
                response = self.get_response(request)
        finally:
            collected_by_middleware.reset(token)
        if entries:
            hand_over(entries)
        return response

    async def _acall(self, request: HttpRequest) -> Any:
        get_response: Callable[[HttpRequest], Awaitable[Any]] = self.get_response
        token = collected_by_middleware.set(True)
        try:
            with collecting() as entries:
                response = await get_response(request)
        finally:
            collected_by_middleware.reset(token)
        if entries:
            hand_over(entries)
        return response
