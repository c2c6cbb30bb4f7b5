"""The channels as a feature plugin: ``mizanInvalidations``, stream error codes, checks.

Each ``ReactChannel`` subclass registers its own fields (a contributor of the registry)
when it is defined; the plugin adds what every schema has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..plugins import Plugin
from ..registry.core import SchemaContributor
from .checks import check_channel_layers
from .errors import StreamErrorCodes
from .invalidations import InvalidationsContributor

__all__ = ["ChannelsPlugin"]


class ChannelsPlugin(Plugin):
    """Subscriptions: the invalidation stream, error codes of streamed results, checks."""

    order = 30

    def extensions(self) -> Sequence[Any]:
        return [StreamErrorCodes]

    def contributors(self) -> Sequence[SchemaContributor]:
        return [InvalidationsContributor()]

    def checks(self) -> Sequence[Any]:
        return [check_channel_layers]
