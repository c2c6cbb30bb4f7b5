"""Bulk writes, which send no model signals, invalidating the contexts that depend on them.

``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` change rows without
``pre_save``/``post_save``. Two ways to have them invalidate (after commit, as saves do):

- ``InvalidatingQuerySet``: the model's queryset class; its ``update()``, ``bulk_create()``
  and ``bulk_update()`` invalidate the entries of the rows' old and new values::

      class Profile(models.Model):
          objects = InvalidatingQuerySet.as_manager()

- ``invalidate_queryset(rows)``: for models whose manager you do not control, after the
  write, with a queryset of the rows changed (or the objects given to ``bulk_create``)::

      Profile.objects.filter(team=team).update(active=False)
      invalidate_queryset(Profile.objects.filter(team=team))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import router, transaction
from django.db.models import Model, QuerySet

from ..invalidation_header import Invalidation
from .dependents import dependents_of, instance_entries, rows_entries
from .on_commit import invalidate_on_commit

__all__ = ["InvalidatingQuerySet", "invalidate_queryset"]

M = TypeVar("M", bound=Model)


def invalidate_queryset(
    rows: QuerySet[Any] | Iterable[Model], using: str | None = None
) -> list[Invalidation]:
    """Invalidate, after the current transaction commits, the context entries of ``rows``.

    ``rows`` is a queryset (its rows as they are now: call it after ``update()``) or model
    instances (what ``bulk_create()`` returned). The entries wait for the transaction of
    ``using``: by default the database the rows were written to (an instance's own, the
    router's for writing a queryset's model). Returns the entries, each once.
    """
    if isinstance(rows, QuerySet):
        entries = rows_entries(rows)[1]
        using = using or router.db_for_write(rows.model)
    else:
        objects = list(rows)
        entries = [entry for obj in objects for entry in instance_entries(obj)]
        if using is None and objects:
            using = objects[0]._state.db
    entries = list(dict.fromkeys(entries))
    invalidate_on_commit(entries, using)
    return entries


class InvalidatingQuerySet(QuerySet[M]):
    """A queryset whose bulk writes invalidate the contexts that depend on its model.

    Use it as the model's manager (``objects = InvalidatingQuerySet.as_manager()``) or
    subclass it for your own queryset methods.
    """

    def update(self, **kwargs: Any) -> int:
        if not dependents_of(self.model):
            return super().update(**kwargs)
        using = self._write_db()
        with transaction.atomic(using=using, savepoint=False):
            pks, old = rows_entries(self.using(using))
            count = super().update(**kwargs)
            changed = self.model._base_manager.using(using).filter(pk__in=pks)
            invalidate_on_commit([*old, *rows_entries(changed)[1]], using)
        return count

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if dependents_of(self.model):
            invalidate_on_commit(
                [entry for obj in created for entry in instance_entries(obj)], self._write_db()
            )
        return created

    def bulk_update(self, objs: Iterable[M], fields: Any, *args: Any, **kwargs: Any) -> int:
        objects = list(objs)
        if not dependents_of(self.model):
            return super().bulk_update(objects, fields, *args, **kwargs)
        using = self._write_db()
        with transaction.atomic(using=using, savepoint=False):
            old = rows_entries(
                self.model._base_manager.using(using).filter(pk__in=[o.pk for o in objects])
            )[1]
            count = super().bulk_update(objects, fields, *args, **kwargs)
            new = [entry for obj in objects for entry in instance_entries(obj)]
            invalidate_on_commit([*old, *new], using)
        return count

    def _write_db(self) -> str:
        # As QuerySet.db answers for a write: the database of .using(), else the router's.
        return self._db or router.db_for_write(self.model, **self._hints)  # type: ignore[attr-defined]
