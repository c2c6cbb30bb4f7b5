"""The registry: server functions and other schema contributors, until the schema is built."""

from .autodiscover import autodiscover
from .core import (
    Registry,
    SchemaContributor,
    get_registry,
    registry,
    registry_changed,
    registry_swapped,
    use_registry,
)
from .decorators import client, register
from .dependencies import DependsOn
from .entry import ClientFunction, ModelDependency, Options, Param, Problem

__all__ = [
    "ClientFunction",
    "DependsOn",
    "ModelDependency",
    "Options",
    "Param",
    "Problem",
    "Registry",
    "SchemaContributor",
    "autodiscover",
    "client",
    "get_registry",
    "register",
    "registry",
    "registry_changed",
    "registry_swapped",
    "use_registry",
]
