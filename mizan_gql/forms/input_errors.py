"""Structured errors for form data GraphQL itself refuses (wrong types, unknown fields).

graphql-core reports each bad variable value as a separate error whose message names the
path. For a variable of a form's input type, this extension folds those errors into one
``BAD_USER_INPUT`` error with ``extensions.fieldErrors`` — the shape server functions use
(``[{path, message, type}]``) — so a client can put each message next to its field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, VariableDefinitionNode
from graphql.type import get_named_type
from graphql.utilities import type_from_ast
from strawberry.extensions import SchemaExtension

from ..conf import mizan_settings
from ..exceptions import field_error, invalid_value_message
from ..schema.engine import graphql_schema
from ..schema.engine.private import validate_input_value
from .contributor import FormContributor

__all__ = ["FormInputErrors", "fold_form_input_errors"]


class FormInputErrors(SchemaExtension):
    """Fold the errors graphql-core reports for a form's input into one error."""

    prepared_query = "hooks"  # a prepared query may take a form's input too

    def on_operation(self) -> Iterator[None]:
        yield
        fold_form_input_errors(self.execution_context)


def fold_form_input_errors(execution_context: Any) -> None:
    """Fold the variable errors of a form input into one structured error."""
    result = execution_context.result
    if result is None or not result.errors or result.data is not None:
        return
    form_inputs = _form_input_names(execution_context.schema)
    if not form_inputs:
        return
    folded: dict[int, GraphQLError] = {}
    schema = graphql_schema(execution_context.schema)
    variables = execution_context.variables or {}
    for definition in _variable_definitions(execution_context):
        var_type = type_from_ast(schema, definition.type)
        if var_type is None or get_named_type(var_type).name not in form_inputs:
            continue
        ours = [e for e in result.errors if e.nodes and e.nodes[0] is definition]
        if not ours:
            continue
        folded[id(ours[0])] = _fold(definition, var_type, variables, ours[0])
        for error in ours[1:]:
            folded[id(error)] = None  # type: ignore[assignment]
    if folded:
        result.errors = [
            folded.get(id(e), e) for e in result.errors if folded.get(id(e), e) is not None
        ]


def _form_input_names(schema: Any) -> set[str]:
    registry = getattr(schema, "mizan_registry", None)
    if registry is None:
        return set()
    return {
        f"{c.type_prefix}FormInput" for c in registry.contributors if isinstance(c, FormContributor)
    }


def _variable_definitions(execution_context: Any) -> list[VariableDefinitionNode]:
    document = execution_context.graphql_document
    if document is None:
        return []
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = execution_context.operation_name
    for operation in operations:
        if name is None or (operation.name and operation.name.value == name):
            return list(operation.variable_definitions or ())
    return []


def _fold(
    definition: VariableDefinitionNode,
    var_type: Any,
    variables: dict[str, Any],
    first: GraphQLError,
) -> GraphQLError:
    name = definition.variable.name.value
    field_errors: list[dict[str, Any]] = []

    def on_error(error: GraphQLError, path: list[str | int]) -> None:
        field_errors.append(field_error([name, *path], error.message, "graphql_type"))

    validate_input_value(variables.get(name), var_type, on_error, bool(mizan_settings.MASK_ERRORS))
    if not field_errors:
        return first
    return GraphQLError(
        invalid_value_message(field_errors),
        nodes=first.nodes,
        source=first.source,
        positions=first.positions,
        extensions={"code": "BAD_USER_INPUT", "fieldErrors": field_errors},
    )
