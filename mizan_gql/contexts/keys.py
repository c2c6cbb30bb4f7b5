"""Canonical, type-aware encoding of parameters, and the cache keys built from it.

``user_id=5`` and ``user_id="5"`` encode differently, and because the encoding is JSON of
tagged values (strings escaped by JSON), no value can contain a separator that makes two
parameter sets collide. Keys are hashed, so any value length or character is safe for
every cache backend (memcached included).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

__all__ = [
    "PUBLIC_SCOPE",
    "canonical",
    "digest",
    "entry_key",
    "lock_key",
    "token_keys",
    "user_scope",
]

PREFIX = "mizan:ctx"

# Whose entry a cached value is: everybody's (public contexts), or user_scope(request).
PUBLIC_SCOPE = ["public"]


def user_scope(request: Any) -> list[Any]:
    """Whose entry a private context reads: the user's id, or the shared anonymous entry."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return ["user", user.pk]
    return ["anonymous"]


def canonical(value: Any) -> Any:
    """A JSON-compatible structure naming the type of every value it contains."""
    if value is None:
        return ["n"]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, enum.Enum):
        cls = type(value)
        return ["e", f"{cls.__module__}.{cls.__qualname__}", canonical(value.value)]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, decimal.Decimal):
        return ["d", str(value)]
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["date", value.isoformat()]
    if isinstance(value, datetime.time):
        return ["time", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["uuid", str(value)]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    if isinstance(value, BaseModel):
        model = type(value)
        fields = {name: getattr(value, name) for name in model.model_fields}
        return ["m", f"{model.__module__}.{model.__qualname__}", canonical(fields)]
    if isinstance(value, Mapping):
        items = [[canonical(k), canonical(v)] for k, v in value.items()]
        return ["o", sorted(items, key=_dumps)]
    if isinstance(value, (list, tuple)):
        return ["l", [canonical(v) for v in value]]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted((canonical(v) for v in value), key=_dumps)]
    raise TypeError(f"cannot build a cache key from a {type(value).__qualname__} value")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def digest(*parts: Any) -> str:
    """sha256 of the canonical encoding of ``parts``."""
    return hashlib.sha256(_dumps(canonical(list(parts))).encode("ascii")).hexdigest()


def token_keys(context: str, params: Mapping[str, Any]) -> list[str]:
    """The version tokens an entry of ``context`` with ``params`` depends on.

    One for the whole context, one for the exact parameter set, one per parameter value
    (bumped by an invalidation that names only some of the parameters). A context without
    parameters has only the first, one with a single parameter only the first two: an
    invalidation of such a context names all of its parameters or none.
    """
    keys = [f"{PREFIX}:g:{digest(context)}"]
    if params:
        keys.append(f"{PREFIX}:s:{digest(context, dict(params))}")
    if len(params) > 1:
        keys.extend(f"{PREFIX}:p:{digest(context, name, params[name])}" for name in sorted(params))
    return keys


def entry_key(context: str, function: str, scope: Any, params: Mapping[str, Any]) -> str:
    return f"{PREFIX}:e:{digest(context, function, scope, dict(params))}"


def lock_key(key: str, version: str) -> str:
    return f"{key}:lock:{version}"
