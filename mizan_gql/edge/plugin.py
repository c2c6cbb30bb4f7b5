"""The edge as a feature plugin: its settings checks and the invalidation receiver that
hands every invalidation to the edge purge task."""

from ..plugins import Plugin
from ..signals import context_invalidated
from .checks import check_edge_settings
from .handoff import on_invalidated

__all__ = ["EDGE"]


def connect() -> None:
    context_invalidated.connect(on_invalidated, dispatch_uid="mizan_gql.edge.purge")


EDGE = Plugin(name="edge", order=70, checks=[check_edge_settings], connect=connect)
