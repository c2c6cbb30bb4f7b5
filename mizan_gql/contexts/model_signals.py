"""Saves, deletes and many-to-many changes of the models contexts depend on invalidate them.

Receivers are connected per model (and per many-to-many table), never for every sender: a
``post_delete`` receiver for all models would cost every project its fast deletes. They are
connected when the contexts' plugin is registered (``MizanGqlConfig.ready()``) for the
functions registered so far, and again whenever a function is registered or the registry
is swapped.

A save reads the changed row's keyed columns as they were (``pre_save``, one query, only
when a keyed column may change) and invalidates the entries of the old and the new values
after commit; a delete invalidates the deleted row's entries.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Model, signals

from ..invalidation_header import Invalidation
from ..registry.core import registry_changed, registry_swapped
from .dependents import Dependent, dependency_models, dependents_of, instance_entries, rows_entries
from .on_commit import invalidate_on_commit

__all__ = ["connect_model_receivers"]

# Where pre_save leaves the entries of the row as it was, for post_save.
PREVIOUS = "_mizan_gql_previous_entries"
UID = "mizan_gql.depends_on"


def connect_model_receivers() -> None:
    """Connect the receivers of the current registry's models; follow the registry."""
    registry_changed.connect(_registry_changed, dispatch_uid=f"{UID}.registry_changed")
    registry_swapped.connect(_registry_changed, dispatch_uid=f"{UID}.registry_swapped")
    _connect_models()


def _registry_changed(**kwargs: Any) -> None:
    _connect_models()


def _connect_models() -> None:
    targets = dependency_models()
    if not targets:
        return
    for model in apps.get_models():
        if issubclass(model, tuple(targets)):  # the models, their proxies and children
            label = model._meta.label
            signals.pre_save.connect(_pre_save, model, dispatch_uid=f"{UID}.pre_save.{label}")
            signals.post_save.connect(_post_save, model, dispatch_uid=f"{UID}.post_save.{label}")
            signals.post_delete.connect(
                _post_delete, model, dispatch_uid=f"{UID}.post_delete.{label}"
            )
    for model in targets:
        for through in _through_models(model):
            label = through._meta.label
            signals.m2m_changed.connect(_m2m_changed, through, dispatch_uid=f"{UID}.m2m.{label}")


def _through_models(model: type[Model]) -> list[type[Model]]:
    meta = model._meta
    forward = [f.remote_field.through for f in meta.many_to_many]  # type: ignore[attr-defined]
    reverse = [r.through for r in meta.related_objects if r.many_to_many]  # type: ignore[attr-defined]
    return [t for t in (*forward, *reverse) if isinstance(t, type)]


def _pre_save(
    sender: type[Model], instance: Model, using: str, update_fields: Any, **_: Any
) -> None:
    dependents = dependents_of(sender)
    if not dependents or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not _may_change_keys(dependents, update_fields):
        return
    old = sender._base_manager.using(using).filter(pk=instance.pk)
    instance.__dict__[PREVIOUS] = rows_entries(old)[1]


def _may_change_keys(dependents: tuple[Dependent, ...], update_fields: Any) -> bool:
    for dependent in dependents:
        dependency = dependent.dependency
        if dependency.compute is not None:
            return True
        if any(
            field.attname in dependency.attnames
            for field in dependency.model._meta.concrete_fields
            if field.name in update_fields or field.attname in update_fields
        ):
            return True
    return False


def _post_save(sender: type[Model], instance: Model, using: str, **_: Any) -> None:
    previous: list[Invalidation] = instance.__dict__.pop(PREVIOUS, [])
    invalidate_on_commit([*previous, *instance_entries(instance)], using)


def _post_delete(sender: type[Model], instance: Model, using: str, **_: Any) -> None:
    invalidate_on_commit(instance_entries(instance), using)


def _m2m_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    model: type[Model],
    pk_set: set[Any] | None,
    using: str,
    **_: Any,
) -> None:
    # pre_clear: the rows are still linked (clear() runs in a transaction, so the entries
    # are still sent after the change).
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action != "pre_clear" and not pk_set:
        return  # nothing was added or removed
    entries = instance_entries(instance)
    if dependents_of(model):
        related = model._base_manager.using(using)
        if action == "pre_clear":
            related = related.filter(
                **{_lookup(sender, type(instance), model, reverse): instance.pk}
            )
        else:
            related = related.filter(pk__in=pk_set)
        entries.extend(rows_entries(related)[1])
    invalidate_on_commit(entries, using)


def _lookup(through: type[Model], source: type[Model], target: type[Model], reverse: bool) -> str:
    """The lookup from ``target`` rows to ``source`` rows across the table ``through``."""
    holder = target if reverse else source
    for field in holder._meta.many_to_many:
        if field.remote_field.through is through:  # type: ignore[attr-defined]
            return field.name if reverse else field.related_query_name()
    raise LookupError(f"{through._meta.label} links no many-to-many field of {holder}")
