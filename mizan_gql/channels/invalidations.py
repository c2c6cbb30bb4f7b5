"""``Subscription.mizanInvalidations``: the invalidations a client may hear of, to refetch.

The contexts publish every invalidation on the Channels layer as
``group_send("mizan.invalidations", {"type": "mizan.invalidate", "entries": [...]})``
with entries ``{"context": "user", "params": {"user_id": 5}, "cache": "public"}``
(``params`` empty: the whole context). The stream is filtered on the server, so that an
invalidation reaches only those who may know of it:

- the client says which entries it holds (``holding``: a context and the parameters it
  fetched it with; ``contexts``: context names, meaning every entry it may hold);
- a context is streamed only while the socket's user may call every function of it (their
  ``auth``), re-checked as the session changes;
- an invalidation reaches a socket only for an entry it holds: its parameters must be
  among those the client holds (so it learns no value it did not send). Only for a public
  context (shared by every user, its URLs public) may a client hold every entry; for a
  private one, holding a context by name stands for its entries without parameters and its
  whole-context invalidations.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import aclosing
from typing import Any, cast

import strawberry
from asgiref.sync import sync_to_async
from strawberry.scalars import JSON

from ..auth import UserRecheck, check_auth
from ..constants import INVALIDATION_EVENT, INVALIDATIONS_GROUP
from ..exceptions import ClientError
from ..invalidation_header import Invalidation, encode_invalidations, value_text
from ..registry.core import SchemaContributor, get_registry
from ..request import request_from_info
from .hub import GroupMessages

__all__ = [
    "HeldEntry",
    "InvalidationEvent",
    "InvalidationsContributor",
    "mizan_invalidations",
]

# The subscription's field name.
FIELD = "mizanInvalidations"

# Most entries one subscription may say it holds (each costs a comparison per event).
MAX_HELD = 1000
# Held parameters: every parameter of the context (None: every entry of the context).
Held = dict[str, str] | None


@strawberry.type(name="MizanInvalidation")
class InvalidationEvent:
    """A context entry that changed: refetch it (``params`` empty: the whole context)."""

    context: str
    params: JSON
    header: str = strawberry.field(
        description="The entry as in X-Mizan-Invalidate, e.g. `user;user_id=5`."
    )


@strawberry.input(
    name="MizanHeldEntry",
    description="A context entry the client holds: its context and the parameters it was "
    "fetched with (omitted: every entry of a public context).",
)
class HeldEntry:
    context: str
    params: JSON | None = None


def _held(
    contexts: Iterable[str] | None, holding: Iterable[HeldEntry] | None
) -> dict[str, list[Held]]:
    """What a client holds, by context; parameter values as their canonical text."""
    if contexts is None and holding is None:
        contexts = get_registry().contexts()  # every context, as the stream always allowed
    held: dict[str, list[Held]] = {}
    for name in contexts or ():
        held.setdefault(name, []).append(None)
    for entry in holding or ():
        params = entry.params
        if params is not None and not isinstance(params, dict):
            raise ClientError("`params` of a held entry must be an object.", code="BAD_USER_INPUT")
        texts = None if params is None else {k: value_text(v) for k, v in params.items()}
        held.setdefault(entry.context, []).append(texts)
    if sum(map(len, held.values())) > MAX_HELD:
        raise ClientError(f"Hold at most {MAX_HELD} entries.", code="BAD_USER_INPUT")
    return held


async def _readable(contexts: Iterable[str], request: Any) -> set[str]:
    """The contexts whose every function the request's user may call."""
    registry = get_registry().contexts()
    readable = set()
    for name in contexts:
        entries = registry.get(name)
        if not entries:
            continue  # not a context: nothing of it is ever streamed
        try:
            for entry in entries:
                auth = entry.options.auth
                if callable(auth):  # may query the database: off the event loop
                    await sync_to_async(check_auth, thread_sensitive=True)(auth, request)
                else:
                    check_auth(auth, request)
        except ClientError:
            continue
        readable.add(name)
    return readable


def _reaches(holds: list[Held], params: dict[str, str], public: bool, has_params: bool) -> bool:
    """Whether an invalidation with ``params`` concerns an entry the client holds (without
    telling it a value it did not send)."""
    for held in holds:
        if held is None:
            if public or not has_params or not params:
                return True
        elif all(held.get(name) == text for name, text in params.items()):
            return True
    return False


async def _events(held: dict[str, list[Held]], request: Any) -> AsyncIterator[InvalidationEvent]:
    declared = {name: bool(e[0].params) for name, e in get_registry().contexts().items()}
    readable = await _readable(held, request)
    recheck = UserRecheck(request)
    events_of_group = GroupMessages(INVALIDATIONS_GROUP, INVALIDATION_EVENT, request, FIELD)
    async with aclosing(events_of_group) as events:
        async for message in events:
            if await recheck.changed():
                readable = await _readable(held, request)
            for entry in message.get("entries") or ():
                context = entry.get("context") if isinstance(entry, dict) else None
                params = entry.get("params") or {} if isinstance(entry, dict) else None
                if context not in readable or not isinstance(params, dict):
                    continue
                texts = {name: value_text(value) for name, value in params.items()}
                public = entry.get("cache") == "public"
                if _reaches(held[cast(str, context)], texts, public, declared.get(context, True)):
                    header = encode_invalidations([Invalidation(cast(str, context), params)])
                    yield InvalidationEvent(
                        context=cast(str, context), params=cast(Any, params), header=header
                    )


async def mizan_invalidations(
    info: strawberry.Info,
    contexts: list[str] | None = None,
    holding: list[HeldEntry] | None = None,
) -> AsyncIterator[InvalidationEvent]:
    """Invalidations of the context entries the client holds and may read.

    ``holding`` lists the entries (context and parameters) the client holds; ``contexts``
    names contexts of which it holds every entry it may. Without either: every context.
    """
    return _events(_held(contexts, holding), request_from_info(info))


class InvalidationsContributor(SchemaContributor):
    """Adds ``Subscription.mizanInvalidations`` to every mizan schema."""

    def subscription_fields(self) -> dict[str, Any]:
        field = strawberry.subscription(resolver=mizan_invalidations, name=FIELD)
        return {"mizan_invalidations": field}
