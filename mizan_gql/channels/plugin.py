"""The channels as a feature plugin: ``mizanInvalidations``, stream error codes, checks.

Each ``ReactChannel`` subclass registers its own fields (a contributor of the registry)
when it is defined; the plugin adds what every schema has.
"""

from ..plugins import Plugin
from .checks import check_channel_layers, check_channel_layers_deploy, check_group_expiry
from .errors import StreamErrorCodes
from .invalidations import InvalidationsContributor

__all__ = ["CHANNELS"]

CHANNELS = Plugin(
    name="channels",
    order=30,
    extensions=[StreamErrorCodes],
    contributors=[InvalidationsContributor],
    checks=[check_channel_layers, check_group_expiry],
    deploy_checks=[check_channel_layers_deploy],
)
