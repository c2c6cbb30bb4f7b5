"""The edge as a feature plugin: its settings checks (the middleware purges by itself)."""

from ..plugins import Plugin
from .checks import check_edge_settings

__all__ = ["EDGE"]

EDGE = Plugin(name="edge", order=70, checks=[check_edge_settings])
