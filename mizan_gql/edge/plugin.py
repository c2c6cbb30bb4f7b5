"""The edge as a feature plugin: its settings checks (the middleware purges by itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..plugins import Plugin
from .checks import check_edge_settings

__all__ = ["EdgePlugin"]


class EdgePlugin(Plugin):
    """Purgers and the edge manifest: ``EDGE_PURGERS`` is checked at ``manage.py check``."""

    order = 70

    def checks(self) -> Sequence[Any]:
        return [check_edge_settings]
