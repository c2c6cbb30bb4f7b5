"""Invalidations sent once, after the transaction that made them commits.

``invalidate_on_commit(entries, using)`` is what model changes go through: inside an atomic
block each entry is handed to ``transaction.on_commit`` once per transaction, and sent
through :func:`~mizan_gql.contexts.invalidate` after the commit. Django drops the hook if
the transaction, or a savepoint it was made in, rolls back; the entry is then handed over
again when it is asked for again. A hook still pending survives whenever a new one would
(a later rollback can only drop savepoints open now, which a new hook would be made in
too), so one per entry is enough. Outside an atomic block (autocommit) the write is already
committed: the entries are sent at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from django.db import transaction

from ..invalidation_header import Invalidation
from .invalidation import invalidate

__all__ = ["invalidate_on_commit"]


class _Batch:
    """The invalidations of one transaction of one connection."""

    __slots__ = ("hooks", "pending")

    def __init__(self, hooks: list[Any]) -> None:
        # The connection's list of commit hooks when this was made: Django replaces it when
        # the transaction ends or a savepoint rolls back.
        self.hooks = hooks
        self.pending: set[Invalidation] = set()


class _Send:
    """One commit hook: send ``entry``."""

    __slots__ = ("batch", "entry")

    def __init__(self, batch: _Batch, entry: Invalidation) -> None:
        self.batch = batch
        self.entry = entry

    def __call__(self) -> None:
        invalidate(self.entry.context, **self.entry.params)


_batches: WeakKeyDictionary[Any, _Batch] = WeakKeyDictionary()


def invalidate_on_commit(entries: Iterable[Invalidation], using: str | None = None) -> None:
    """Send each of ``entries`` once after the current transaction on ``using`` commits
    (at once outside a transaction); nothing if it rolls back."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        for entry in dict.fromkeys(entries):
            invalidate(entry.context, **entry.params)
        return
    batch = _current_batch(connection)
    for entry in entries:
        if entry not in batch.pending:
            batch.pending.add(entry)
            transaction.on_commit(_Send(batch, entry), using=using, robust=True)


def _current_batch(connection: Any) -> _Batch:
    batch = _batches.get(connection)
    hooks = connection.run_on_commit
    if batch is not None and batch.hooks is hooks:
        return batch
    # A new transaction, or a savepoint rolled back: keep what of ours is still to run.
    if batch is not None:
        remaining = {
            hook.entry for _, hook, _ in hooks if isinstance(hook, _Send) and hook.batch is batch
        }
        if remaining:
            batch.hooks = hooks
            batch.pending = remaining
            return batch
    batch = _Batch(hooks)
    _batches[connection] = batch
    return batch
