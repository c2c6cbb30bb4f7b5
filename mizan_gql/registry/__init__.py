from .autodiscover import autodiscover
from .core import Registry, get_registry, registry, use_registry
from .decorators import client, register
from .entry import ClientFunction, Options, Param, Problem

__all__ = [
    "ClientFunction",
    "Options",
    "Param",
    "Problem",
    "Registry",
    "autodiscover",
    "client",
    "get_registry",
    "register",
    "registry",
    "use_registry",
]
