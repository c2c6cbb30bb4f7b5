"""Persisted queries as a Strawberry schema extension: APQ, trusted mode, document cache.

``on_operation`` turns ``extensions.persistedQuery`` (or a ``documentId``) into a query
(before Strawberry looks for one), enforces the mode and verifies hashes; ``on_parse`` /
``on_validate`` reuse the parsed document and validation result of any document seen
before; a new APQ document is stored only once it has been verified and has validated.

A client registers a limited number of documents per window
(:mod:`mizan_gql.persisted.registrations`); registered documents expire after
``MIZAN["APQ_TTL"]`` (:mod:`mizan_gql.persisted.store`).

Modes (``MIZAN["PERSISTED_QUERIES"]``):

* ``"apq"`` - any document runs; Apollo's automatic persisted queries are accepted.
* ``"trusted"`` - only trusted documents run (by text, by hash or by ``documentId``): the
  generated ones and those of ``MIZAN["TRUSTED_DOCUMENTS"]``; no registration.
* ``"off"`` - documents run as sent; a ``persistedQuery`` answers PersistedQueryNotSupported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import parse
from strawberry.extensions import SchemaExtension

from ..conf import PERSISTED_QUERY_MODES, mizan_settings
from ..constants import DOCUMENT_ID
from ..request import request_from_context, response_from_context
from ..schema.hashing import document_hash, is_sha256
from ..schema.refusal import placeholder_document
from .documents import CachedDocument, document_cache, rules_key
from .errors import (
    PersistedQueryError,
    PersistedQueryNotFound,
    document_not_found,
    hash_mismatch,
    malformed,
    malformed_document_id,
    not_found,
    not_found_trusted,
    not_supported,
    not_trusted,
    registrations_limited,
)
from .registrations import admit_miss, admit_registration, limits
from .store import load, save
from .trusted import TrustedDocuments, trusted_documents

__all__ = ["MAX_DOCUMENT_ID", "PersistedQueries", "Resolution", "resolve"]

# The longest documentId looked up (manifest ids are hashes; "sha256:<hex>" is 71).
MAX_DOCUMENT_ID = 200


class PersistedQueries(SchemaExtension):
    """Resolve persisted documents and parse/validate each document only once."""

    # A prepared query's document was resolved by prepared_document() below.
    prepared_query = "skip"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sha256: str | None = None
        self._entry: CachedDocument | None = None
        self._register = False
        self._known_registered = False
        self._refusal: PersistedQueryError | None = None

    @classmethod
    def prepared_document(
        cls, schema: Any, query: Any, operation_extensions: Any
    ) -> CachedDocument | None:
        """The document of a request if this schema validated it without errors before
        (a prepared query, see mizan_gql.schema.engine.prepared), else None."""
        try:
            found = resolve(schema, query, operation_extensions)
        except PersistedQueryError:
            return None  # refused: Strawberry's path answers the refusal
        if found is None or found.register:
            return None
        cache = document_cache(schema)
        entry = cache.get(found.sha256)
        if entry is None or entry.document is None or cache.rules_key is None:
            return None
        if entry.validations.get(cache.rules_key) != []:
            return None
        if found.known_registered:
            entry.registered = True
        return entry

    def on_operation(self) -> Iterator[None]:
        execution_context = self.execution_context
        try:
            self._resolve()
        except PersistedQueryError as error:
            # Answered as a pre-execution error (like a validation error), so every
            # transport - HTTP, WebSocket, streaming - reports it the usual way.
            self._refusal = error
            execution_context.graphql_document = placeholder_document(execution_context)
            _refuse(execution_context.context, error.status)
        yield

    def _resolve(self) -> None:
        execution_context = self.execution_context
        request = request_from_context(execution_context.context)
        try:
            found = resolve(
                execution_context.schema,
                execution_context.query,
                execution_context.operation_extensions,
            )
        except PersistedQueryNotFound as miss:
            if not admit_miss(request, miss.sha256):
                raise _limited() from None
            raise
        if found is None:
            return  # Strawberry answers "No GraphQL query found in the request"
        if found.register and not admit_registration(request, found.sha256):
            raise _limited()
        if found.text != execution_context.query:
            execution_context.query = found.text
        self._sha256 = found.sha256
        self._register = found.register
        self._known_registered = found.known_registered

    def on_parse(self) -> Iterator[None]:
        execution_context = self.execution_context
        sha256 = self._sha256
        if sha256 is None or execution_context.graphql_document is not None or self._refusal:
            yield
            return
        cache = document_cache(execution_context.schema)
        parse_key = tuple(sorted(execution_context.parse_options.items()))
        entry = cache.get(sha256)
        if entry is not None and entry.pinned and entry.document is None:
            # Generated documents are ours: parsed once, exempt from the token limit.
            entry.document = parse(entry.text)
        if (
            entry is not None
            and entry.document is not None
            and (entry.pinned or entry.parse_key == parse_key)
        ):
            execution_context.graphql_document = entry.document
            entry.registered = entry.registered or self._known_registered
            self._entry = entry
            yield
            return
        yield
        document = execution_context.graphql_document
        # Only what the parser made of this very text (not a stand-in for a refusal).
        if (
            document is not None
            and document.loc is not None
            and execution_context.query
            and (document.loc.source.body == execution_context.query)
        ):
            entry = cache.add(sha256, execution_context.query)
            entry.document, entry.parse_key = execution_context.graphql_document, parse_key
            entry.registered = entry.registered or self._known_registered
            self._entry = entry

    def on_validate(self) -> Iterator[None]:
        execution_context = self.execution_context
        if self._refusal is not None:
            execution_context.pre_execution_errors = [self._refusal]
            yield
            return
        entry = self._entry
        key = rules_key(execution_context.validation_rules)
        # The rules every operation of this schema validates with (the prepared path
        # only trusts documents that passed exactly these).
        document_cache(execution_context.schema).rules_key = key
        cached = entry.validations.get(key) if entry is not None else None
        if cached is not None:
            execution_context.pre_execution_errors = list(cached)
        yield
        if (
            entry is not None
            and cached is None
            and execution_context.pre_execution_errors is not None
        ):
            entry.validations[key] = list(execution_context.pre_execution_errors)
        if self._register and not execution_context.pre_execution_errors and self._sha256:
            save(self._sha256, execution_context.query or "")
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
    """Apply the mode to ``query`` / ``extensions.persistedQuery`` / ``documentId``;
    verify hashes.

    None when the request carries no document at all; raises
    :class:`~mizan_gql.persisted.PersistedQueryError` for a refusal.
    """
    mode = mizan_settings.PERSISTED_QUERIES
    if mode not in PERSISTED_QUERY_MODES:
        mode = "trusted"  # a misspelt mode (also a check error) fails closed
    trusted = trusted_documents(schema)
    known = trusted.by_hash
    extensions = operation_extensions if isinstance(operation_extensions, dict) else {}
    persisted = extensions.get("persistedQuery")
    if DOCUMENT_ID in extensions:
        if query or persisted is not None:
            raise malformed_document_id("it came with a query or extensions.persistedQuery")
        return _by_document_id(schema, extensions[DOCUMENT_ID], mode)
    if persisted is None:
        if not query:
            return None
        sha256 = document_hash(query)
        if mode == "trusted" and not trusted.admits(query, sha256):
            raise not_trusted("this document")
        return Resolution(sha256, query)
    if mode == "off":
        raise not_supported()
    sha256 = _checked_hash(persisted, trusted)
    if query:
        if document_hash(query) != sha256:
            raise hash_mismatch()
        if mode == "trusted":
            if not trusted.admits(query, sha256):
                raise not_trusted("this document")
            return Resolution(sha256, query)
        cached = document_cache(schema).get(sha256)
        return Resolution(
            sha256, query, register=sha256 not in known and not (cached and cached.registered)
        )
    if mode == "trusted" and sha256 not in known:
        # The client may send the text next (every APQ client does): it runs if it is a
        # trusted document written differently, and is refused as not in the list if not.
        raise not_found_trusted()
    found = _known_or_registered(schema, sha256, mode)
    if found is None:
        raise not_found(sha256)
    return found


def _by_document_id(schema: Any, document_id: object, mode: str) -> Resolution:
    """GraphQL-over-HTTP's persisted documents: ``"sha256:<hex>"`` or a manifest's id."""
    if not isinstance(document_id, str) or not document_id:
        raise malformed_document_id("it must be a non-empty string")
    if len(document_id) > MAX_DOCUMENT_ID:
        raise malformed_document_id(f"it is longer than {MAX_DOCUMENT_ID} characters")
    if mode == "off":
        raise not_supported()
    prefix, _, digest = document_id.partition(":")
    if digest and prefix == "sha256":
        sha256: str | None = digest.lower()
        if not is_sha256(sha256):
            raise malformed_document_id('"sha256:" is not followed by a SHA-256 hex digest')
    else:
        # A bare id: one a manifest gave (Relay's MD5, the client preset's SHA-1, ...) or
        # a document's SHA-256.
        sha256 = trusted_documents(schema).find(document_id)
        if sha256 is None and mode == "apq" and is_sha256(document_id):
            sha256 = document_id
    found = _known_or_registered(schema, sha256, mode) if sha256 else None
    if found is None:
        raise document_not_found(document_id)
    return found


def _known_or_registered(schema: Any, sha256: str, mode: str) -> Resolution | None:
    """The trusted document ``sha256`` names or, in mode "apq", the registered one."""
    text = trusted_documents(schema).by_hash.get(sha256)
    if text is not None:
        return Resolution(sha256, text)
    if mode != "apq":
        return None
    # Only registered documents answer a bare hash, whichever process sees it.
    cached = document_cache(schema).get(sha256)
    if cached is not None and cached.registered:
        return Resolution(sha256, cached.text)
    text = load(sha256)
    return Resolution(sha256, text, known_registered=True) if text is not None else None


def _limited() -> PersistedQueryError:
    bounds = limits()
    assert bounds is not None  # only a limit refuses
    return registrations_limited(*bounds)


def _checked_hash(persisted: object, trusted: TrustedDocuments) -> str:
    if not isinstance(persisted, dict):
        raise malformed("it must be an object")
    version = persisted.get("version")
    if version != 1 or isinstance(version, bool):
        raise malformed(f"version {version!r} is not supported (only 1 is)")
    sha256 = persisted.get("sha256Hash")
    if isinstance(sha256, str):
        # Clients of a manifest with its own ids (the client preset's SHA-1, a custom
        # Apollo operation id) send that id here.
        known_id = trusted.by_id.get(sha256)
        sha256 = known_id if known_id is not None else sha256.lower()
    if not is_sha256(sha256):
        raise malformed("sha256Hash is not a SHA-256 hex digest")
    assert isinstance(sha256, str)
    return sha256


def _refuse(graphql_context: Any, status: int) -> None:
    """Make the HTTP response of a refusal uncacheable (and a 400 for bad requests)."""
    response = response_from_context(graphql_context)
    if response is None:
        return
    response["Cache-Control"] = "no-store"
    if status != 200:
        response.status_code = status
