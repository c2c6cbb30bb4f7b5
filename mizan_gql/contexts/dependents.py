"""Which context entries a row of a model stands for, from the functions' ``depends_on=``.

The registry's dependencies are indexed by model once per registry revision; a changed row
(an instance, or a row of ``QuerySet.values()``) gives the invalidations of every context
that reads its model or one of its parents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Model, QuerySet

from ..invalidation_header import Invalidation
from ..registry.core import Registry, get_registry
from ..registry.entry import ModelDependency
from .invalidation import normalized

__all__ = ["Dependent", "dependency_models", "dependents_of", "instance_entries", "rows_entries"]


@dataclass(frozen=True)
class Dependent:
    """A context whose entries depend on rows of ``dependency.model``."""

    context: str
    function: str  # the dotted path of the function that declared it, for messages
    dependency: ModelDependency

    def entries(self, value: Callable[[str], Any], instance: Model | None) -> list[Invalidation]:
        """The entries of a row whose field ``attname`` holds ``value(attname)``."""
        dependency = self.dependency
        if dependency.fields is not None:
            return self._entry({param: value(att) for param, att in dependency.fields})
        if dependency.compute is None:
            return [Invalidation(self.context)]
        computed = dependency.compute(instance)
        if computed is None:
            return [Invalidation(self.context)]
        many = computed if isinstance(computed, list | tuple) else [computed]
        entries = []
        for params in many:
            if not isinstance(params, Mapping):
                raise TypeError(
                    f"depends_on[{dependency.label}] of {self.function} returned {params!r}: "
                    "return a dict of parameters (or a list of them, or None)."
                )
            entries.extend(self._entry(params))
        return entries

    def _entry(self, params: Mapping[str, Any]) -> list[Invalidation]:
        try:
            return [normalized(self.context, params)]
        except ValueError:
            # A row whose keyed field is NULL belongs to no entry (unless None is a value
            # of the parameter, which normalized() then accepts).
            if any(value is None for value in params.values()):
                return []
            raise


_Index = dict[type[Model], list[Dependent]]
_indexes: WeakKeyDictionary[Registry, tuple[int, _Index, dict[type[Model], tuple[Dependent, ...]]]]
_indexes = WeakKeyDictionary()


def _index(registry: Registry) -> tuple[_Index, dict[type[Model], tuple[Dependent, ...]]]:
    memo = _indexes.get(registry)
    if memo is not None and memo[0] == registry.revision:
        return memo[1], memo[2]
    index: _Index = {}
    for context, entries in registry.contexts().items():
        for entry in entries:
            for dependency in entry.dependencies:
                model = dependency.model._meta.concrete_model
                assert model is not None
                index.setdefault(model, []).append(Dependent(context, entry.qualname, dependency))
    by_sender: dict[type[Model], tuple[Dependent, ...]] = {}
    _indexes[registry] = (registry.revision, index, by_sender)
    return index, by_sender


def dependency_models() -> list[type[Model]]:
    """The (concrete) models some context of the current registry depends on."""
    return list(_index(get_registry())[0])


def dependents_of(model: type[Model]) -> tuple[Dependent, ...]:
    """The dependents of rows of ``model`` (a proxy, child or the model itself)."""
    index, by_sender = _index(get_registry())
    found = by_sender.get(model)
    if found is None:
        meta = model._meta
        concrete = [meta.concrete_model, *meta.get_parent_list()]
        found = tuple(d for m in concrete if m is not None for d in index.get(m, ()))
        by_sender[model] = found
    return found


def instance_entries(instance: Model) -> list[Invalidation]:
    """The entries a saved, deleted or related-changed ``instance`` stands for."""
    entries: list[Invalidation] = []
    for dependent in dependents_of(type(instance)):
        entries.extend(dependent.entries(lambda attname: getattr(instance, attname), instance))
    return entries


def rows_entries(queryset: QuerySet[Any]) -> tuple[list[Any], list[Invalidation]]:
    """The primary keys of the rows ``queryset`` matches now, and their entries.

    One query: the keyed columns only, unless a dependency computes its parameters from
    the row (then the rows are loaded).
    """
    dependents = dependents_of(queryset.model)
    if not dependents:
        return [], []
    entries: list[Invalidation] = []
    if any(d.dependency.compute is not None for d in dependents):
        objects = list(queryset)
        for obj in objects:
            entries.extend(instance_entries(obj))
        return [obj.pk for obj in objects], entries
    attnames = sorted({a for d in dependents for a in d.dependency.attnames})
    pks = []
    for row in queryset.values("pk", *attnames):
        pks.append(row["pk"])
        for dependent in dependents:
            entries.extend(dependent.entries(row.__getitem__, None))
    return pks, entries
