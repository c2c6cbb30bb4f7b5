"""The persisted queries as a feature plugin: the first extension of every operation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..plugins import Plugin
from .extension import PersistedQueries

__all__ = ["PersistedQueriesPlugin"]


class PersistedQueriesPlugin(Plugin):
    """APQ, trusted mode and the document cache (which also finds prepared queries)."""

    # First, so that a persisted-query refusal happens before any other extension starts.
    order = 10

    def extensions(self) -> Sequence[Any]:
        return [PersistedQueries]
