"""Error codes on every result of a subscription stream.

``ErrorCodes`` (mizan_gql.schema.errors) codes the result of an operation; a subscription
yields many results, so this one codes each of them as it is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from ..conf import mizan_settings
from ..schema.errors import coded_error


class StreamErrorCodes(SchemaExtension):
    """Give errors of each streamed result an ``extensions.code`` (masked like HTTP ones)."""

    prepared_query = "skip"  # it acts on streams only

    _executed = False

    def on_execute(self) -> Iterator[None]:
        self._executed = True
        yield

    def on_stream_result(self, result: Any) -> Iterator[None]:  # type: ignore[override]
        errors = getattr(result, "errors", None)
        if errors:
            mask = mizan_settings.MASK_ERRORS
            result.errors = [coded_error(e, mask=mask, executed=self._executed) for e in errors]
        yield
