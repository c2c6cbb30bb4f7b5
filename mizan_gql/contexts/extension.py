"""The schema extension: invalidation reporting and cache headers on GraphQL responses.

- Invalidations made while an operation runs go to ``extensions.mizan.invalidate`` (the
  header entries, as strings) and to the ``X-Mizan-Invalidate`` response header.
- A query using context fields gets ``Cache-Control``: ``public, s-maxage=<ttl>`` and tag
  headers only when every root field is a public context field and nothing failed,
  ``private`` as soon as one is private, ``no-store`` when one is never cached. A response
  of an operation that invalidated something is ``no-store``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponseBase
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from ..constants import EXTENSIONS_KEY
from ..invalidation_header import (
    HEADER,
    Invalidation,
    bounded,
    encode_invalidations,
    parse_invalidations,
)
from ..request import response_from_context
from .cache import Use, recording_uses
from .invalidation import collecting
from .policy import context_tags, restrict

__all__ = [
    "ContextsExtension",
    "invalidation_results",
    "merge_invalidate_header",
    "report",
    "root_field_count",
]


class ContextsExtension(SchemaExtension):
    """Report an operation's invalidations and the cache policy of the contexts it read."""

    prepared_query = "hooks"  # prepared queries read contexts too

    def on_operation(self) -> Iterator[None]:
        self._entries: list[Invalidation] = []
        with collecting() as entries, recording_uses() as uses:
            self._entries = entries
            yield
        report(self.execution_context, entries, uses)

    def get_results(self) -> dict[str, Any]:
        return invalidation_results(getattr(self, "_entries", None))


def report(execution_context: Any, entries: list[Invalidation], uses: list[Use]) -> None:
    """Put what an operation invalidated, or its cache policy, on its HTTP response."""
    response = response_from_context(execution_context.context)
    if not isinstance(response, HttpResponseBase):
        return
    if entries:
        merge_invalidate_header(response, entries)
        restrict(response, "no-store")  # a response that changed data is never cached
        return
    _set_cache_headers(execution_context, response, uses)


def invalidation_results(entries: list[Invalidation] | None) -> dict[str, Any]:
    """The ``extensions`` entry of a result: ``{"mizan": {"invalidate": [...]}}``."""
    if not entries:
        return {}
    return {EXTENSIONS_KEY: {"invalidate": [str(e) for e in bounded(entries)]}}


def _set_cache_headers(execution_context: Any, response: HttpResponseBase, uses: list[Use]) -> None:
    result = execution_context.result
    if (
        not uses
        or execution_context.operation_type != OperationType.QUERY
        or "Cache-Control" in response
    ):
        return
    caches = {use.cache for use in uses}
    if "none" in caches:
        response["Cache-Control"] = "no-store"
    elif "private" in caches:
        response["Cache-Control"] = "private"
    elif (
        result is not None
        and not result.errors
        and root_field_count(execution_context) == len(uses)
    ):
        response["Cache-Control"] = f"public, s-maxage={min(u.ttl for u in uses)}"
        tags: list[str] = []
        for use in uses:
            tags.extend(t for t in context_tags(use.context, dict(use.params)) if t not in tags)
        response["Surrogate-Key"] = response["xkey"] = " ".join(tags)
        response["Cache-Tag"] = ",".join(tags)


def merge_invalidate_header(response: HttpResponseBase, entries: list[Invalidation]) -> None:
    """Add ``entries`` to the response's ``X-Mizan-Invalidate`` (keeping what it has)."""
    existing: list[Invalidation] = []
    if HEADER in response:
        try:
            existing = parse_invalidations(response[HEADER])
        except ValueError:
            existing = []
    response[HEADER] = encode_invalidations(bounded([*existing, *entries]))


def root_field_count(execution_context: Any) -> int:
    """Root fields the operation selects (fragments followed, ``__typename`` ignored)."""
    document = execution_context.graphql_document
    if document is None:
        return -1
    fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
    operations = [d for d in document.definitions if d.kind == "operation_definition"]
    name = execution_context.operation_name
    operation = next(
        (o for o in operations if name is None or (o.name and o.name.value == name)), None
    )
    if operation is None:
        return -1

    def count(selection_set: Any) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += selection.name.value != "__typename"
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                total += count(fragment.selection_set) if fragment else 0
        return total

    return count(operation.selection_set)
