"""``Subscription.mizanInvalidations``: invalidation events, for clients to refetch.

The contexts publish every invalidation on the Channels layer as
``group_send("mizan.invalidations", {"type": "mizan.invalidate", "entries": [...]})``
with entries ``{"context": "user", "params": {"user_id": 5}}`` (``{}``: the whole
context). Each entry whose context the client asked for becomes one event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from ..constants import INVALIDATION_EVENT, INVALIDATIONS_GROUP
from ..invalidation_header import Invalidation, encode_invalidations
from ..registry.core import SchemaContributor
from ..request import request_from_info
from .hub import messages

__all__ = ["InvalidationEvent", "InvalidationsContributor", "mizan_invalidations"]


@strawberry.type(name="MizanInvalidation")
class InvalidationEvent:
    """A context entry that changed: refetch it (``params`` empty: the whole context)."""

    context: str
    params: JSON
    header: str = strawberry.field(
        description="The entry as in X-Mizan-Invalidate, e.g. `user;user_id=5`."
    )


async def _events(contexts: list[str] | None, request: Any) -> AsyncIterator[InvalidationEvent]:
    wanted = None if contexts is None else set(contexts)
    async with aclosing(messages(INVALIDATIONS_GROUP, INVALIDATION_EVENT, request)) as events:
        async for message in events:
            for entry in message.get("entries") or ():
                context = entry.get("context") if isinstance(entry, dict) else None
                if isinstance(context, str) and (wanted is None or context in wanted):
                    params: Any = entry.get("params") or {}
                    if isinstance(params, dict):
                        header = encode_invalidations([Invalidation(context, params)])
                        yield InvalidationEvent(
                            context=context, params=cast(Any, params), header=header
                        )


async def mizan_invalidations(
    info: strawberry.Info,
    contexts: list[str] | None = None,
) -> AsyncIterator[InvalidationEvent]:
    """Invalidation events of the named contexts (all contexts when omitted)."""
    return _events(contexts, request_from_info(info))


class InvalidationsContributor(SchemaContributor):
    """Adds ``Subscription.mizanInvalidations`` to every mizan schema."""

    def subscription_fields(self) -> dict[str, Any]:
        field = strawberry.subscription(resolver=mizan_invalidations, name="mizanInvalidations")
        return {"mizan_invalidations": field}
