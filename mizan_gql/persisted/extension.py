"""Persisted queries as a Strawberry schema extension: APQ, trusted mode, document cache.

``on_operation`` turns ``extensions.persistedQuery`` into a query (before Strawberry
looks for one), enforces the mode and verifies hashes; ``on_parse`` / ``on_validate``
reuse the parsed document and validation result of any document seen before; a new APQ
document is stored only once it has been verified and has validated.

Modes (``MIZAN["PERSISTED_QUERIES"]``):

* ``"apq"`` - any document runs; Apollo's automatic persisted queries are accepted.
* ``"trusted"`` - only generated documents run (by text or by hash); no registration.
* ``"off"`` - documents run as sent; a ``persistedQuery`` answers PersistedQueryNotSupported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)
from strawberry.extensions import SchemaExtension

from ..conf import mizan_settings
from . import errors, store
from .documents import CachedDocument, document_cache, rules_key
from .hashing import document_hash, is_sha256
from .operations import operations_for

__all__ = ["PersistedQueries", "Resolution", "resolve"]

MODES = ("apq", "trusted", "off")


class PersistedQueries(SchemaExtension):
    """Resolve persisted documents and parse/validate each document only once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sha256: str | None = None
        self._entry: CachedDocument | None = None
        self._register = False
        self._known_registered = False
        self._refusal: errors.PersistedQueryError | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        try:
            self._resolve()
        except errors.PersistedQueryError as error:
            # Answered as a pre-execution error (like a validation error), so every
            # transport - HTTP, WebSocket, streaming - reports it the usual way.
            self._refusal = error
            context.graphql_document = _placeholder(context)
            _refuse(context.context, error.status)
        yield

    def _resolve(self) -> None:
        context = self.execution_context
        found = resolve(context.schema, context.query, context.operation_extensions)
        if found is None:
            return  # Strawberry answers "No GraphQL query found in the request"
        if found.text != context.query:
            context.query = found.text
        self._sha256 = found.sha256
        self._register = found.register
        self._known_registered = found.known_registered

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        sha256 = self._sha256
        if sha256 is None or context.graphql_document is not None or self._refusal:
            yield
            return
        cache = document_cache(context.schema)
        parse_key = tuple(sorted(context.parse_options.items()))
        entry = cache.get(sha256)
        if entry is not None and entry.pinned and entry.document is None:
            # Generated documents are ours: parsed once, exempt from the token limit.
            entry.document = parse(entry.text)
        if (
            entry is not None
            and entry.document is not None
            and (entry.pinned or entry.parse_key == parse_key)
        ):
            context.graphql_document = entry.document
            entry.registered = entry.registered or self._known_registered
            self._entry = entry
            yield
            return
        yield
        document = context.graphql_document
        # Only what the parser made of this very text (not a stand-in for a refusal).
        if (
            document is not None
            and document.loc is not None
            and context.query
            and (document.loc.source.body == context.query)
        ):
            entry = cache.add(sha256, context.query)
            entry.document, entry.parse_key = context.graphql_document, parse_key
            entry.registered = entry.registered or self._known_registered
            self._entry = entry

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self._refusal is not None:
            context.pre_execution_errors = [self._refusal]
            yield
            return
        entry = self._entry
        key = rules_key(context.validation_rules)
        # The rules every operation of this schema validates with (the prepared path
        # only trusts documents that passed exactly these).
        document_cache(context.schema).rules_key = key
        cached = entry.validations.get(key) if entry is not None else None
        if cached is not None:
            context.pre_execution_errors = list(cached)
        yield
        if entry is not None and cached is None and context.pre_execution_errors is not None:
            entry.validations[key] = list(context.pre_execution_errors)
        if self._register and not context.pre_execution_errors and self._sha256:
            store.save(self._sha256, context.query or "")
            if entry is not None:
                entry.registered = True


@dataclass(frozen=True)
class Resolution:
    """The document a request stands for, once the persisted-query rules allowed it."""

    sha256: str
    text: str
    register: bool = False  # a new APQ document: stored once it has validated
    known_registered: bool = False  # read back from the store (registered elsewhere)


def resolve(schema: Any, query: Any, operation_extensions: Any) -> Resolution | None:
    """Apply the mode to ``query`` / ``extensions.persistedQuery``; verify hashes.

    None when the request carries no document at all; raises
    :class:`~mizan_gql.persisted.errors.PersistedQueryError` for a refusal.
    """
    mode = mizan_settings.PERSISTED_QUERIES
    if mode not in MODES:
        mode = "trusted"  # a misspelt mode (also a check error) fails closed
    known = operations_for(schema).by_hash
    extensions = operation_extensions
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if persisted is None:
        if not query:
            return None
        sha256 = document_hash(query)
        if mode == "trusted" and sha256 not in known:
            raise errors.not_trusted("this document")
        return Resolution(sha256, query)
    if mode == "off":
        raise errors.not_supported()
    sha256 = _checked_hash(persisted)
    if query:
        if document_hash(query) != sha256:
            raise errors.hash_mismatch()
        if mode == "trusted" and sha256 not in known:
            raise errors.not_trusted("this document")
        cached = document_cache(schema).get(sha256)
        return Resolution(
            sha256, query, register=sha256 not in known and not (cached and cached.registered)
        )
    known_registered = False
    if sha256 in known:
        text: str | None = known[sha256].document
    elif mode == "trusted":
        raise errors.not_trusted("the operation with this sha256Hash")
    else:
        # Only registered documents answer a bare hash, whichever process sees it.
        cached = document_cache(schema).get(sha256)
        if cached is not None and cached.registered:
            text = cached.text
        else:
            text = store.load(sha256)
            known_registered = text is not None
    if text is None:
        raise errors.not_found()
    return Resolution(sha256, text, known_registered=known_registered)


def _checked_hash(persisted: object) -> str:
    if not isinstance(persisted, dict):
        raise errors.malformed("it must be an object")
    version = persisted.get("version")
    if version != 1 or isinstance(version, bool):
        raise errors.malformed(f"version {version!r} is not supported (only 1 is)")
    sha256 = persisted.get("sha256Hash")
    if isinstance(sha256, str):
        sha256 = sha256.lower()
    if not is_sha256(sha256):
        raise errors.malformed("sha256Hash is not a SHA-256 hex digest")
    assert isinstance(sha256, str)
    return sha256


def _placeholder(context: Any) -> DocumentNode:
    """A document standing for a refused request until validation reports the refusal.

    It has the requested operation name and an allowed operation type, so Strawberry's
    checks between parsing and validation pass and the refusal is what the client sees.
    """
    allowed = {t.value for t in context.allowed_operations}
    kind = "query" if "query" in allowed or not allowed else sorted(allowed)[0]
    name = context.operation_name if isinstance(context.operation_name, str) else None
    return DocumentNode(
        definitions=(
            OperationDefinitionNode(
                operation=OperationType(kind),
                name=NameNode(value=name) if name else None,
                variable_definitions=(),
                directives=(),
                selection_set=SelectionSetNode(
                    selections=(FieldNode(name=NameNode(value="__typename"), directives=()),)
                ),
            ),
        )
    )


def _refuse(context: Any, status: int) -> None:
    """Make the HTTP response of a refusal uncacheable (and a 400 for bad requests)."""
    response = getattr(context, "response", None)
    if response is None and isinstance(context, dict):
        response = context.get("response")
    if response is None:
        return
    response["Cache-Control"] = "no-store"
    if status != 200:
        response.status_code = status
