"""The registry: every server function (and other schema contributor) of the project."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.dispatch import Signal

from ..exceptions import RegistrationError
from .dependencies import read_dependencies
from .entry import ClientFunction, Options, Problem
from .signature import read_signature


class SchemaContributor:
    """Something besides plain functions that adds root fields (a channel, a form, ...).

    For each schema build the builder calls :meth:`bind` with what the build shares
    (``build.converter``, ``build.registry``, ``build.call_wrappers``; see
    :class:`mizan_gql.schema.builder.SchemaBuild`), then the ``*_fields`` methods, each
    returning ``{python_name: StrawberryField}``, and :meth:`finish` once the schema
    exists. A contributor that cannot build its fields raises
    :class:`~mizan_gql.exceptions.SchemaBuildError` naming the problems.
    """

    def bind(self, build: Any) -> None:
        """Receive the build's shared state (type converter, call wrappers)."""

    def query_fields(self) -> dict[str, Any]:
        return {}

    def mutation_fields(self) -> dict[str, Any]:
        return {}

    def subscription_fields(self) -> dict[str, Any]:
        return {}

    def problems(self) -> list[Problem]:
        """Mistakes found without building anything (reported by ``manage.py check``)."""
        return []

    def finish(self, schema: Any) -> None:
        """Called with the built schema (e.g. to adjust its graphql-core fields)."""


class Registry:
    """Holds registered functions until the schema is built, then freezes."""

    def __init__(self) -> None:
        self._entries: list[ClientFunction] = []
        self._contributors: list[SchemaContributor] = []
        self._frozen = False
        self._lock = threading.RLock()
        # Bumped by every change, so what is derived from the entries can tell it is stale.
        self.revision = 0

    # -- registration -------------------------------------------------------------
    def add(self, func: Callable[..., Any], name: str, options: Options) -> ClientFunction:
        with self._lock:
            self._ensure_open(name)
            existing = self.entry_for(func)
            if existing is not None:
                self._entries.remove(existing)
            entry = ClientFunction(name=name, func=func, options=options)
            read_signature(entry)
            read_dependencies(entry)
            self._entries.append(entry)
            self.revision += 1
        registry_changed.send(sender=Registry, registry=self)
        return entry

    def rename(self, func: Callable[..., Any], name: str) -> ClientFunction:
        with self._lock:
            self._ensure_open(name)
            entry = self.entry_for(func)
            if entry is None:
                raise RegistrationError(f"{func!r} is not registered")
            entry.name = name
            self.revision += 1
        registry_changed.send(sender=Registry, registry=self)
        return entry

    def add_contributor(self, contributor: SchemaContributor) -> None:
        with self._lock:
            self._ensure_open(repr(contributor))
            self._contributors.append(contributor)

    def _ensure_open(self, what: str) -> None:
        if self._frozen:
            raise RegistrationError(
                f"Cannot register {what!r}: the GraphQL schema has already been built. "
                "Register server functions in a `mizan_clients` module of an installed app "
                "or in AppConfig.ready(), which run before the first request."
            )

    # -- reading ------------------------------------------------------------------
    def entry_for(self, func: Callable[..., Any]) -> ClientFunction | None:
        for entry in self._entries:
            if entry.func is func:
                return entry
        return None

    def get(self, name: str) -> ClientFunction | None:
        for entry in self._entries:
            if entry.name == name:
                return entry
        return None

    @property
    def functions(self) -> list[ClientFunction]:
        """Registered functions, sorted by name so every output is deterministic."""
        return sorted(self._entries, key=lambda e: (e.name, e.qualname))

    @property
    def contributors(self) -> list[SchemaContributor]:
        return list(self._contributors)

    def contexts(self) -> dict[str, list[ClientFunction]]:
        """Context name -> its functions, both sorted."""
        result: dict[str, list[ClientFunction]] = {}
        for entry in self.functions:
            if entry.context_name is not None:
                result.setdefault(entry.context_name, []).append(entry)
        return dict(sorted(result.items()))

    # -- lifecycle ----------------------------------------------------------------
    @property
    def frozen(self) -> bool:
        return self._frozen

    def freeze(self) -> None:
        self._frozen = True

    def unfreeze(self) -> None:
        self._frozen = False


registry = Registry()
_active: list[Registry] = [registry]

# Sent (with ``registry=``) when a function is added to or renamed in a registry.
registry_changed = Signal()

# Sent (with ``registry=``, the one now in use) whenever use_registry() swaps registries,
# so that whatever was built from the previous one (the schema) is forgotten.
registry_swapped = Signal()


def get_registry() -> Registry:
    """The registry in use (the global one, or one swapped in by :func:`use_registry`)."""
    return _active[-1]


@contextmanager
def use_registry(new: Registry | None = None) -> Iterator[Registry]:
    """Swap in another registry, e.g. in tests that register throwaway functions."""
    new = new if new is not None else Registry()
    _active.append(new)
    registry_swapped.send(sender=Registry, registry=new)
    try:
        yield new
    finally:
        _active.remove(new)
        registry_swapped.send(sender=Registry, registry=get_registry())
