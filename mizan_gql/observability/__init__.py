"""See what the cache does: a Debug Toolbar panel, the admin's "Contexts" page and metrics.

Add ``"mizan_gql.observability"`` to ``INSTALLED_APPS`` (after ``mizan_gql``); see
docs/observability.md. Everything here listens to :mod:`mizan_gql.signals`.
"""

from .counters import COUNTERS, read_window, recent_invalidations
from .plugin import OBSERVABILITY

__all__ = ["COUNTERS", "OBSERVABILITY", "read_window", "recent_invalidations"]
