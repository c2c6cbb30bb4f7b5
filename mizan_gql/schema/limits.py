"""Document limits, on by default: size, tokens, depth, aliases, directives, errors.

Strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` walk every fragment spread
again for every place it is spread, so a few hundred bytes of fragments spreading each
other twice take minutes to check. Here each fragment is measured once (memoised), so the
checks are linear in the document, and they run before graphql-core's own validation, so
a document over a limit never reaches the expensive rules. Circular fragments are
reported here too, without recursion.

Limits (``MIZAN`` keys, see SECURITY.md):

* ``MAX_DOCUMENT_SIZE`` - bytes of query text, checked before parsing;
* ``MAX_TOKENS`` - lexical tokens, comments included (the parser stops at the limit);
* nesting - selection sets, lists and input objects nest at most :data:`MAX_NESTING`
  deep, checked before parsing (the parser recurses once per level: deeper documents
  exhausted the stack of graphql-core 3.2 before 3.2.14, which has no guard of its own);
* ``MAX_DEPTH`` - nesting of fields, fragments followed (introspection fields ignored);
* ``MAX_ALIASES`` / ``MAX_DIRECTIVES`` - counted as if every fragment spread were
  written out in full;
* ``MAX_VALIDATION_ERRORS`` - graphql-core stops validating after this many errors.

Numbers Python cannot read as written are refused too: an integer literal of more digits
than ``int()`` converts (``sys.get_int_max_str_digits()``, 4,300 by default) raised a
``ValueError`` inside graphql-core's validation (or became NaN in a ``JSON`` argument), and
a float literal beyond the range of a double became infinity, which no JSON answer holds.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
)
from strawberry.extensions import SchemaExtension

from ..conf import mizan_settings
from .engine.private import validate
from .refusal import placeholder_document

__all__ = ["DocumentLimits", "limit_errors", "number_errors"]

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
# As deep as graphql-core 3.3's parser goes (its MAX_NESTING_DEPTH), on every release.
MAX_NESTING = 200
NESTED_TOO_DEEPLY = "Syntax Error: Document is nested too deeply. Parsing aborted."
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


@dataclass
class _Measure:
    depth: int = 0
    aliases: int = 0
    directives: int = 0


class _Measurer:
    """Depth, aliases and directives of selection sets, each fragment measured once."""

    def __init__(self, document: DocumentNode, cap: int) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.cap = cap  # counts saturate here: a 2**n expansion stays a small int
        self.done: dict[str, _Measure] = {}

    def fragment(self, name: str) -> _Measure:
        found = self.done.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None:
            return _Measure()  # an unknown fragment: graphql-core's validation reports it
        self.done[name] = _Measure()  # a cycle (reported separately) counts as nothing
        measure = self.selections(definition.selection_set)
        measure.directives = min(self.cap, measure.directives + len(definition.directives or ()))
        self.done[name] = measure
        return measure

    def selections(self, selection_set: SelectionSetNode | None) -> _Measure:
        total = _Measure()
        # Cycles are rejected before measuring, so fragments nest at most as deep as the
        # document has fragments; the parser already bounds the nesting of selection sets.
        for selection in selection_set.selections if selection_set else ():
            directives = len(selection.directives or ())
            if isinstance(selection, FieldNode):
                inner = self.selections(selection.selection_set)
                introspection = selection.name.value.startswith("__")
                depth = 0 if introspection or not selection.selection_set else 1 + inner.depth
                aliases = inner.aliases + (selection.alias is not None)
                directives += inner.directives
            elif isinstance(selection, InlineFragmentNode):
                inner = self.selections(selection.selection_set)
                depth, aliases = inner.depth, inner.aliases
                directives += inner.directives
            else:
                assert isinstance(selection, FragmentSpreadNode)
                inner = self.fragment(selection.name.value)
                depth, aliases = inner.depth, inner.aliases
                directives += inner.directives
            total.depth = max(total.depth, depth)
            total.aliases = min(self.cap, total.aliases + aliases)
            total.directives = min(self.cap, total.directives + directives)
        return total


def fragment_cycle(document: DocumentNode) -> str | None:
    """The name of a fragment that spreads itself (directly or not), or None."""
    spreads: dict[str, list[str]] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            names: list[str] = []
            stack: list[SelectionSetNode] = [definition.selection_set]
            while stack:
                for selection in stack.pop().selections:
                    if isinstance(selection, FragmentSpreadNode):
                        names.append(selection.name.value)
                    elif getattr(selection, "selection_set", None) is not None:
                        stack.append(selection.selection_set)  # type: ignore[attr-defined]
            spreads[definition.name.value] = names
    # Iterative depth-first search (white/grey/black): no recursion, linear time.
    state: dict[str, int] = {}
    for start in spreads:
        if state.get(start):
            continue
        state[start] = 1
        path: list[tuple[str, Iterator[str]]] = [(start, iter(spreads[start]))]
        while path:
            name, children = path[-1]
            child = next(children, None)
            if child is None:
                state[name] = 2
                path.pop()
            elif child in spreads:
                if state.get(child) == 1:
                    return child
                if not state.get(child):
                    state[child] = 1
                    path.append((child, iter(spreads[child])))
    return None


def number_errors(document: DocumentNode) -> list[GraphQLError]:
    """The number literals of ``document`` that Python cannot read as written."""
    loc = document.loc
    token = loc.start_token if loc is not None else None
    max_digits = sys.get_int_max_str_digits()  # 0: no limit
    while token is not None:
        value = token.value or ""
        if token.kind == TokenKind.INT and max_digits and len(value.lstrip("-")) > max_digits:
            message = f"An integer literal has more than {max_digits} digits."
        elif token.kind == TokenKind.FLOAT and not math.isfinite(float(value)):
            message = "A float literal is beyond the range of a Float (a double)."
        else:
            token = token.next
            continue
        assert loc is not None
        return [
            GraphQLError(
                message,
                source=loc.source,
                positions=[token.start],
                extensions={"code": VALIDATION_FAILED},
            )
        ]
    return []


def limit_errors(document: DocumentNode) -> list[GraphQLError]:
    """The limits ``document`` exceeds (numbers, depth, aliases, directives, cycles), in
    linear time."""
    unreadable = number_errors(document)
    if unreadable:
        return unreadable
    cycle = fragment_cycle(document)
    if cycle is not None:
        return [_error(f"Cannot spread fragment '{cycle}' within itself.", VALIDATION_FAILED)]
    max_depth = mizan_settings.MAX_DEPTH
    max_aliases = mizan_settings.MAX_ALIASES
    max_directives = mizan_settings.MAX_DIRECTIVES
    measurer = _Measurer(document, cap=max(max_aliases, max_directives) + 1)
    errors: list[GraphQLError] = []
    aliases = directives = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        measure = measurer.selections(definition.selection_set)
        if measure.depth > max_depth:
            name = definition.name.value if definition.name else "anonymous"
            errors.append(
                _error(
                    f"'{name}' exceeds maximum operation depth of {max_depth}", VALIDATION_FAILED
                )
            )
        aliases += measure.aliases
        directives += measure.directives + len(definition.directives or ())
        directives += sum(len(v.directives or ()) for v in definition.variable_definitions or ())
    if aliases > max_aliases:
        shown = f"More than {max_aliases}" if aliases > measurer.cap - 1 else str(aliases)
        errors.append(_error(f"{shown} aliases found. Allowed: {max_aliases}", VALIDATION_FAILED))
    if directives > max_directives:
        errors.append(
            _error(f"The document uses more than {max_directives} directives.", VALIDATION_FAILED)
        )
    return errors


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def nested_too_deeply(query: str, limit: int = MAX_NESTING) -> bool:
    """Whether braces and brackets of ``query`` (outside strings and comments) nest deeper
    than ``limit``: linear, without recursion, and free for the documents that have no
    more than ``limit`` of them in all."""
    if query.count("{") + query.count("[") <= limit:
        return False
    lexer = Lexer(Source(query))
    depth = 0
    try:
        token = lexer.advance()
        while token.kind != TokenKind.EOF:
            if token.kind in (TokenKind.BRACE_L, TokenKind.BRACKET_L):
                depth += 1
                if depth > limit:
                    return True
            elif token.kind in (TokenKind.BRACE_R, TokenKind.BRACKET_R):
                depth -= 1
            token = lexer.advance()
    except GraphQLSyntaxError:
        return False  # the parser reports it, where it is
    return False


def token_count(document: DocumentNode, limit: int) -> int:
    """Tokens of the parsed ``document`` including comments, counting up to ``limit + 1``."""
    loc = document.loc
    token = loc.start_token if loc is not None else None
    count = 0
    while token is not None and count <= limit:
        if token.kind not in (TokenKind.SOF, TokenKind.EOF):
            count += 1
        token = token.next
    return count


class DocumentLimits(SchemaExtension):
    """Enforce the document limits and validate with a capped number of errors."""

    # A prepared query's document passed these limits when it was validated.
    prepared_query = "skip"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._refusal: GraphQLError | None = None

    def on_operation(self) -> Iterator[None]:
        # The parser stops at this many tokens; comments are counted after parsing.
        self.execution_context.parse_options["max_tokens"] = mizan_settings.MAX_TOKENS
        yield

    def on_parse(self) -> Iterator[None]:
        execution_context = self.execution_context
        query = execution_context.query
        if execution_context.graphql_document is not None or not isinstance(query, str):
            yield  # a cached or generated document: it passed when it was first parsed
            return
        limit = mizan_settings.MAX_DOCUMENT_SIZE
        if len(query) > limit or len(query.encode()) > limit:
            self._refuse(f"The document is larger than {limit} bytes.")
            yield
            return
        if nested_too_deeply(query):
            self._refuse(NESTED_TOO_DEEPLY)
            yield
            return
        yield
        document = execution_context.graphql_document
        max_tokens = mizan_settings.MAX_TOKENS
        if document is not None and token_count(document, max_tokens) > max_tokens:
            self._refuse(
                f"Syntax Error: Document contains more than {max_tokens} tokens "
                "(comments included). Parsing aborted."
            )

    def _refuse(self, message: str) -> None:
        self._refusal = _error(message, PARSE_FAILED)
        # A stand-in document, so Strawberry's checks before validation pass and the
        # refusal is what the client sees (as for persisted-query refusals).
        self.execution_context.graphql_document = placeholder_document(self.execution_context)

    def on_validate(self) -> Iterator[None]:
        execution_context = self.execution_context
        if self._refusal is not None:
            execution_context.pre_execution_errors = [self._refusal]
        elif (
            execution_context.pre_execution_errors is None
            and execution_context.graphql_document is not None
        ):
            document = execution_context.graphql_document
            errors = limit_errors(document)
            if not errors:
                # What Strawberry's validation does, with an error cap and, in production,
                # without "Did you mean ...?" suggestions that map the schema.
                errors = validate(
                    execution_context.schema,
                    document,
                    execution_context.validation_rules,
                    max_errors=mizan_settings.MAX_VALIDATION_ERRORS,
                    hide_suggestions=bool(mizan_settings.MASK_ERRORS),
                )
            execution_context.pre_execution_errors = errors
        yield
