"""SSR hydration: context values, as GraphQL would answer them, embedded in the page.

``hydration_data(request, [("user", {"user_id": 5})])`` runs each context's generated
operation (the document ``/graphql/ctx/<name>/`` runs, so values are exactly what the
client would fetch: camelCase keys, every field selected) through the schema, with the
page's request, so auth and the per-user cache apply as for any GraphQL request::

    {"contexts": {"current_user": {"currentUser": {...}}, "user": {"userProfile": {...}}},
     "params": {"user": {"user_id": 5}}}

A context whose execution reports an error is left out: the client then fetches it and
shows the error itself.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from asgiref.sync import async_to_sync
from pydantic_core import to_jsonable_python
from strawberry.django.context import StrawberryDjangoContext
from strawberry.django.views import TemporalHttpResponse
from strawberry.utils.str_converters import to_camel_case

from ..registry.entry import CONTEXT_GLOBAL
from ..schema import get_schema, operations_for
from ..schema.engine import graphql_schema
from .operation import graphql_value
from .policy import context_policy, strictest

__all__ = ["ahydration_data", "global_contexts", "hydrated_policy", "hydration_data"]

HYDRATED_ATTRIBUTE = "_mizan_hydrated"

logger = logging.getLogger("mizan_gql.contexts")


def global_contexts() -> list[str]:
    schema = get_schema()
    registry = schema.mizan_registry  # type: ignore[attr-defined]
    return [
        name
        for name, entries in registry.contexts().items()
        if any(e.options.context == CONTEXT_GLOBAL for e in entries)
    ]


def _variables(operation: Any, root: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for name, value in params.items():
        graphql_name = to_camel_case(name)
        arg_type = next(
            (
                root.fields[f].args[graphql_name].type
                for f in operation.fields
                if graphql_name in root.fields[f].args
            ),
            None,
        )
        if arg_type is None:
            continue
        variables[graphql_name] = to_jsonable_python(graphql_value(value, arg_type))
    return variables


def _record(request: Any, cache: str) -> None:
    try:
        getattr(request, HYDRATED_ATTRIBUTE).add(cache)
    except AttributeError:
        try:
            setattr(request, HYDRATED_ATTRIBUTE, {cache})
        except AttributeError:  # a request object that takes no attributes
            pass


def hydrated_policy(request: Any) -> str | None:
    """The strictest cache policy of the contexts embedded in ``request``'s page, if any."""
    policies = getattr(request, HYDRATED_ATTRIBUTE, None)
    return strictest(policies) if policies else None


async def ahydration_data(
    request: Any,
    requested: Iterable[tuple[str, Mapping[str, Any]]] = (),
    public_only: bool = False,
) -> dict[str, Any]:
    """The hydration payload for the global contexts plus ``requested`` (context, params).

    Embedding a private context makes the page private (``@view`` and
    ``InvalidationMiddleware`` set ``Cache-Control`` accordingly); ``public_only`` leaves
    private and uncached contexts out so that a public page stays cacheable by an edge.
    """
    schema = get_schema()
    operations = operations_for(schema).contexts
    root = graphql_schema(schema).query_type
    wanted: dict[str, dict[str, Any]] = {name: {} for name in global_contexts()}
    for name, params in requested:
        wanted[name] = dict(params)
    data: dict[str, Any] = {"contexts": {}, "params": {}}
    for name, params in sorted(wanted.items()):
        operation = operations.get(name)
        if public_only and context_policy(name).cache != "public":
            continue
        if operation is None:
            logger.warning("mizan_hydrate: there is no context named %r", name)
            continue
        result = await schema.execute(
            operation.document,
            variable_values=_variables(operation, root, params),
            context_value=StrawberryDjangoContext(request=request, response=TemporalHttpResponse()),
            operation_name=operation.name,
        )
        if result.errors or result.data is None:
            logger.debug("mizan_hydrate: context %r not hydrated: %s", name, result.errors)
            continue
        data["contexts"][name] = result.data
        _record(request, context_policy(name).cache)
        if params:
            data["params"][name] = {k: to_jsonable_python(v) for k, v in sorted(params.items())}
    return data


def _load_user(request: Any) -> None:
    # Resolvers run on an event loop, where the lazy user cannot touch the session.
    user = getattr(request, "user", None)
    if user is not None:
        bool(user.is_authenticated)


def hydration_data(
    request: Any,
    requested: Iterable[tuple[str, Mapping[str, Any]]] = (),
    public_only: bool = False,
) -> dict[str, Any]:
    """Sync form of :func:`ahydration_data` (template tags render synchronously)."""
    requested = list(requested)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _load_user(request)
        return async_to_sync(ahydration_data)(request, requested, public_only)
    # Rendered synchronously from inside an event loop (render() in an async view): load
    # the user and run the operations on a loop of their own, in a helper thread.
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            _load_user(request)
            # async_to_sync makes this thread the one sync resolvers run in, so they never
            # wait for a thread that is blocked on this render.
            outcome["data"] = async_to_sync(ahydration_data)(request, requested, public_only)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="mizan-hydrate")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["data"]
