"""The client's data model: what the printers turn into TypeScript.

Types are Strawberry's codegen types (``strawberry.codegen.types``), collected by running
``QueryCodegen`` over each generated persisted operation; the rest describes what mizan adds
around them: contexts, forms, channels and the server's URLs and CSRF names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from strawberry.codegen.types import GraphQLType

__all__ = [
    "ChannelModel",
    "ClientModel",
    "ContextModel",
    "ContextParam",
    "FormModel",
    "OperationModel",
    "ServerModel",
]


@dataclass(frozen=True)
class OperationModel:
    """A generated operation (see ``mizan_gql.persisted``) and its TypeScript type names."""

    name: str
    kind: Literal["query", "mutation", "subscription"]
    document: str
    sha256: str
    field: str | None
    result_type: str
    variables_type: str | None
    variables_required: bool
    description: str | None = None
    deprecation_reason: str | None = None


@dataclass(frozen=True)
class ContextParam:
    python: str
    graphql: str
    required: bool


@dataclass(frozen=True)
class ContextModel:
    """A context: ``global`` (hook), ``local`` and named (provider + hook)."""

    name: str
    kind: Literal["global", "local", "named"]
    operation: OperationModel
    fields: tuple[str, ...]
    params: tuple[ContextParam, ...]
    # Every parameter is a scalar (or a list of scalars) the GET endpoint can carry.
    endpoint: bool
    cache: str

    @property
    def pascal(self) -> str:
        return _pascal(self.name)

    @property
    def value_field(self) -> str | None:
        """For global and local contexts, the hook's value is their one function's value."""
        return self.fields[0] if self.kind != "named" and len(self.fields) == 1 else None


@dataclass(frozen=True)
class FormModel:
    name: str
    pascal: str
    schema_field: str
    validate_field: str
    submit_field: str
    input_type: str
    # The form's schema as the ``<name>Schema`` query answers it (camelCase keys).
    schema: dict[str, Any]


@dataclass(frozen=True)
class ChannelModel:
    field: str
    pascal: str
    send_field: str | None


@dataclass(frozen=True)
class ServerModel:
    graphql_path: str
    context_path: str
    csrf_cookie_name: str
    csrf_header_name: str
    hydration_element_id: str


@dataclass
class ClientModel:
    server: ServerModel
    operations: dict[str, OperationModel] = field(default_factory=dict)
    context_operations: dict[str, OperationModel] = field(default_factory=dict)
    contexts: list[ContextModel] = field(default_factory=list)
    forms: list[FormModel] = field(default_factory=list)
    channels: list[ChannelModel] = field(default_factory=list)
    types: dict[str, GraphQLType] = field(default_factory=dict)
    input_types: set[str] = field(default_factory=set)


def _pascal(name: str) -> str:
    from strawberry.utils.str_converters import capitalize_first, to_camel_case

    return capitalize_first(to_camel_case(name))
