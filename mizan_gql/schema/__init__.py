"""The registry and the plugins as one Strawberry schema, and how it executes."""

from ..exceptions import SchemaBuildError
from .builder import SchemaBuild, build_schema, get_schema, reset_schema
from .engine import MizanSchema
from .operations import Operation, OperationSet, context_field_name, operations_for

__all__ = [
    "MizanSchema",
    "Operation",
    "OperationSet",
    "SchemaBuild",
    "SchemaBuildError",
    "build_schema",
    "context_field_name",
    "get_schema",
    "operations_for",
    "reset_schema",
]
