"""What the context endpoint reports to :data:`~mizan_gql.signals.context_read`."""

from __future__ import annotations

import time
from typing import Any

from ..signals import context_read
from .operation import ContextOperation

__all__ = ["report_endpoint_hit", "scope_label"]


def scope_label(scope: list[Any]) -> str:
    """``["user", 5]`` -> ``"user:5"``: whose entry, as the signals report it."""
    return ":".join(map(str, scope))


def report_endpoint_hit(
    spec: ContextOperation, values: dict[str, Any], scope: list[Any], expires: float | None
) -> None:
    """A stored response of ``/graphql/ctx/<context>/`` served (by the view or the
    middleware). Callers test ``context_read.receivers`` first."""
    context_read.send(
        None,
        context=spec.name,
        function=None,
        params=values,
        scope=scope_label(scope),
        hit=True,
        ttl=spec.policy.ttl,
        ttl_left=None if expires is None else max(0.0, expires - time.time()),
        source="endpoint",
    )
