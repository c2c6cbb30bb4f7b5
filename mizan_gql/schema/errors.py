"""Give every GraphQL error an ``extensions.code``; log and mask the unexpected ones."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, ValueNode, VariableDefinitionNode
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from ..conf import mizan_settings
from ..exceptions import ClientError

logger = logging.getLogger("mizan_gql")

MASKED_MESSAGE = "Internal server error"
# Strawberry's refusals of a request as a whole: no document, an unknown operationName, an
# operation type the transport does not run (queries and mutations over legacy graphql-ws).
# HTTP answers them with a 4xx status before any result exists; over WebSocket Strawberry
# turns them into errors of the operation: the client's mistake, like a document that does
# not parse, and answered the same way (an error for that operation; the socket stays open).
REQUEST_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)
# Anywhere in the message: variable errors go on after it ("... Did you mean x? Found: ...").
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


# What a scalar's parser raises for a value it refuses, as Python's own parsers do (int(),
# Decimal(), date.fromisoformat()).
REFUSALS = (ValueError, TypeError, ArithmeticError)


def is_expected(error: GraphQLError) -> bool:
    """Client mistakes and ClientErrors are expected; anything else is a server bug."""
    if is_result_error(error):
        return False
    original = error.original_error
    if original is None or is_refused_input(error):
        return True
    return isinstance(original, (ClientError, GraphQLError, *REQUEST_ERRORS))


def is_refused_input(error: GraphQLError) -> bool:
    """A custom scalar refused a value of the document or of a variable by raising
    ``ValueError`` (or ``TypeError``, ``ArithmeticError``): graphql-core reports it with
    that cause, on the value's node and with no field path. The client's bad input."""
    node = error.nodes[0] if error.nodes else None
    return (
        not error.path
        and isinstance(error.original_error, REFUSALS)
        and isinstance(node, (ValueNode, VariableDefinitionNode))
    )


def is_result_error(error: GraphQLError) -> bool:
    """A resolver returned a value its GraphQL type cannot serialize: a server bug.

    graphql-core reports these like client errors (a ``GraphQLError`` with no Python cause),
    but only they carry a field path together with "cannot represent".
    """
    original = error.original_error
    return (
        bool(error.path)
        and (original is None or isinstance(original, GraphQLError))
        and not isinstance(original, ClientError)
        and "cannot represent" in error.message
    )


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if not is_expected(error):
            original = error.original_error
            logger.error(
                "Unexpected error in %s: %s",
                ".".join(map(str, error.path or [])) or "operation",
                original,
                exc_info=original,
            )


class ErrorCodes(SchemaExtension):
    """Set ``extensions.code`` on every error and apply ``MASK_ERRORS``."""

    prepared_query = "hooks"  # a prepared query's errors are coded the same way

    _executed = False  # set by on_execute (an instance serves one operation)

    def on_operation(self) -> Iterator[None]:
        yield
        code_errors(self.execution_context.result, executed=self._executed)

    def on_execute(self) -> Iterator[None]:
        # Errors raised before execution are parse/validation errors; after, bad input.
        self._executed = True
        yield


def code_errors(result: Any, *, executed: bool) -> None:
    """Code (and, per ``MASK_ERRORS``, mask) the errors of an execution result in place."""
    errors = getattr(result, "errors", None)
    if result is None or not errors:
        return
    mask = mizan_settings.MASK_ERRORS
    result.errors = [coded_error(e, mask=mask, executed=executed) for e in errors]


def coded_error(error: GraphQLError, *, mask: bool, executed: bool) -> GraphQLError:
    extensions = dict(error.extensions or {})
    message = error.message
    original = error.original_error
    if isinstance(original, ClientError):
        extensions.update(original.as_extensions())
    elif is_result_error(error):
        extensions["code"] = "INTERNAL_SERVER_ERROR"
        if mask:
            message = MASKED_MESSAGE
    elif "code" in extensions:
        pass
    elif isinstance(original, REQUEST_ERRORS):
        extensions["code"] = "BAD_REQUEST"
        # Their message says it all. Without the cause, graphql-transport-ws answers an
        # error for the operation (as for documents that do not parse) instead of closing
        # the whole socket on an unknown operationName.
        original = None
    elif original is None or isinstance(original, GraphQLError) or is_refused_input(error):
        if isinstance(error, GraphQLSyntaxError) or isinstance(original, GraphQLSyntaxError):
            extensions["code"] = "GRAPHQL_PARSE_FAILED"
        elif not executed:
            extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
        else:
            # Execution-time errors with no Python cause: variable coercion and argument
            # errors, i.e. bad input.
            extensions["code"] = "BAD_USER_INPUT"
        if mask:
            message = _SUGGESTION.sub("", message)
    else:
        extensions["code"] = "INTERNAL_SERVER_ERROR"
        if mask:
            message = MASKED_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if mask and extensions["code"] == "INTERNAL_SERVER_ERROR" else original,
        extensions=extensions,
    )
