from .builder import MizanSchema, SchemaBuildError, build_schema, get_schema, reset_schema

__all__ = ["MizanSchema", "SchemaBuildError", "build_schema", "get_schema", "reset_schema"]
