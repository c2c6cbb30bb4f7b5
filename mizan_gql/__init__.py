"""mizan_gql: typed Python functions served as a GraphQL API for React front ends.

The public API; everything the documentation describes is importable from here.
"""

from .asgi import wrap_asgi
from .channels import ReactChannel
from .contexts import InvalidatingQuerySet, ainvalidate, invalidate, invalidate_queryset, view
from .edge import generate_edge_manifest
from .exceptions import ClientError, ConfigurationError, MizanError, RegistrationError
from .forms import MizanFormMeta, MizanFormMixin, mizanFormMeta, mizanFormMixin
from .registry import client, register
from .schema import get_schema

__all__ = [
    "ClientError",
    "ConfigurationError",
    "InvalidatingQuerySet",
    "MizanError",
    "MizanFormMeta",
    "MizanFormMixin",
    "ReactChannel",
    "RegistrationError",
    "ainvalidate",
    "client",
    "generate_edge_manifest",
    "get_schema",
    "invalidate",
    "invalidate_queryset",
    "mizanFormMeta",
    "mizanFormMixin",
    "register",
    "view",
    "wrap_asgi",
]
