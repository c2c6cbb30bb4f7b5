"""mizan_gql: typed Python functions served as a GraphQL API for React front ends.

The public API; everything the documentation describes is importable from here.
"""

from .contexts import ainvalidate, invalidate
from .exceptions import ClientError, ConfigurationError, MizanError, RegistrationError
from .registry import client, register
from .schema import get_schema

__all__ = [
    "ClientError",
    "ConfigurationError",
    "MizanError",
    "RegistrationError",
    "ainvalidate",
    "client",
    "get_schema",
    "invalidate",
    "register",
]
