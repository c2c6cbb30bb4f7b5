"""The Debug Toolbar panel: what mizan_gql did for one request.

Add it to the toolbar's panels (needs ``pip install "mizan-gql[debug]"`` and the app
``mizan_gql.observability``)::

    DEBUG_TOOLBAR_PANELS = [
        *debug_toolbar.settings.PANELS_DEFAULTS,
        "mizan_gql.observability.panel.MizanPanel",
    ]

Requests made with ``fetch`` (GraphiQL's, the app's ``/graphql`` POSTs) are kept in the
toolbar's history like any other; with ``DEBUG_TOOLBAR_CONFIG = {"UPDATE_ON_FETCH": True}``
the toolbar shows the latest one by itself.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from debug_toolbar.panels import Panel

from ..edge import get_purgers, resolve, site_manifest
from ..invalidation_header import parse_invalidations
from .recording import Recording, connect_recording, start_recording, stop_recording

__all__ = ["MizanPanel"]


class MizanPanel(Panel):
    """Operations, context reads, invalidations, edge purges and SQL per server function."""

    title = "mizan"
    template = "mizan_gql_observability/panel.html"
    is_async = True
    token: Token[Recording | None] | None = None

    @classmethod
    def ready(cls) -> None:
        connect_recording()

    def enable_instrumentation(self) -> None:
        connect_recording()  # also wraps this thread's open database connections
        self.recording, self.token = start_recording()

    def disable_instrumentation(self) -> None:
        if self.token is not None:
            stop_recording(self.token)
            self.token = None

    @property
    def nav_subtitle(self) -> str:
        stats = self.get_stats()
        reads = stats.get("reads", [])
        hits = sum(1 for read in reads if read["hit"])
        return (
            f"{len(stats.get('operations', []))} operations, "
            f"{hits}/{len(reads)} context hits, {len(stats.get('invalidations', []))} invalidated"
        )

    def generate_stats(self, request: Any, response: Any) -> None:
        recording: Recording = getattr(self, "recording", None) or Recording()
        self.record_stats(
            {
                "operations": recording.operations,
                "reads": recording.reads,
                "invalidations": recording.invalidations,
                "purges": recording.purges,
                "queued": _queued(recording),
                "purgers": [type(p).__name__ for p in _purgers()],
                "functions": recording.functions,
            }
        )


def _purgers() -> list[Any]:
    try:
        return list(get_purgers())
    except Exception:  # a broken EDGE_PURGERS is mizan_gql.E060, not the panel's business
        return []


def _queued(recording: Recording) -> dict[str, list[str]]:
    """What the edge is told to purge for this request's invalidations."""
    if not recording.invalidations:
        return {}
    entries = parse_invalidations(", ".join(i["entry"] for i in recording.invalidations))
    resolution = resolve(entries, site_manifest())
    return {
        "urls": list(resolution.urls),
        "tags": list(resolution.tags),
        "prefixes": list(resolution.prefixes),
    }
