"""The operation a request runs, chosen as the GraphQL spec's GetOperation chooses it.

Without an ``operationName``, Strawberry runs the first operation of a document, whatever
else it holds: ``query A { ... } mutation B { ... }`` runs ``A``, and ``mutation B { ... }
query A { ... }`` runs the mutation. The GraphQL spec (GetOperation) makes that a request
error: "Must provide operation name if query contains multiple operations". A name that
picks no operation is one already (Strawberry's ``CannotGetOperationTypeError``).

:class:`MizanExecutionContext` raises :class:`OperationNameRequired`, a kind of
``CannotGetOperationTypeError``, where Strawberry asks which operation type runs (after
parsing, before validation), so every transport answers it as it answers an unknown
``operationName``: HTTP with 400 ``BAD_REQUEST``, the WebSocket with an error for that
operation.
"""

from __future__ import annotations

from graphql import DocumentNode, OperationDefinitionNode
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

__all__ = ["MizanExecutionContext", "OperationNameRequired"]


class OperationNameRequired(CannotGetOperationTypeError):
    """A document of several operations, and no ``operationName`` saying which to run."""

    MESSAGE = "Must provide operation name if query contains multiple operations."

    def __init__(self) -> None:
        super().__init__(None)

    def as_http_error_reason(self) -> str:
        return self.MESSAGE


class MizanExecutionContext(ExecutionContext):
    """Strawberry's execution context, with the operation chosen per the GraphQL spec."""

    def __post_init__(self, provided_operation_name: str | None) -> None:
        super().__post_init__(provided_operation_name)
        # Strawberry's ``operation_name`` answers the first operation's name when the
        # request gave none; this is what the request gave.
        self.requested_operation_name = provided_operation_name

    @property
    def operation_type(self) -> OperationType:
        document = self.graphql_document
        if (
            document is not None
            and self.requested_operation_name is None
            and operation_count(document) > 1
        ):
            raise OperationNameRequired
        return super().operation_type


def operation_count(document: DocumentNode) -> int:
    return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
