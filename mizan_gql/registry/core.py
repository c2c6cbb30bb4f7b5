"""The registry: every server function (and other schema contributor) of the project."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from ..exceptions import RegistrationError
from .entry import ClientFunction, Options, Problem
from .signature import read_signature


class SchemaContributor(Protocol):
    """Something besides plain functions that adds root fields (channels, forms, ...).

    Each method returns ``{graphql_field_name: StrawberryField}``.
    """

    def query_fields(self) -> dict[str, Any]: ...
    def mutation_fields(self) -> dict[str, Any]: ...
    def subscription_fields(self) -> dict[str, Any]: ...
    def problems(self) -> list[Problem]: ...


class Registry:
    """Holds registered functions until the schema is built, then freezes."""

    def __init__(self) -> None:
        self._entries: list[ClientFunction] = []
        self._contributors: list[SchemaContributor] = []
        self._frozen = False
        self._lock = threading.RLock()

    # -- registration -------------------------------------------------------------
    def add(self, func: Callable[..., Any], name: str, options: Options) -> ClientFunction:
        with self._lock:
            self._ensure_open(name)
            existing = self.entry_for(func)
            if existing is not None:
                self._entries.remove(existing)
            entry = ClientFunction(name=name, func=func, options=options)
            read_signature(entry)
            self._entries.append(entry)
            return entry

    def rename(self, func: Callable[..., Any], name: str) -> ClientFunction:
        with self._lock:
            self._ensure_open(name)
            entry = self.entry_for(func)
            if entry is None:
                raise RegistrationError(f"{func!r} is not registered")
            entry.name = name
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


def get_registry() -> Registry:
    """The registry in use (the global one, or one swapped in by :func:`use_registry`)."""
    return _active[-1]


@contextmanager
def use_registry(new: Registry | None = None) -> Iterator[Registry]:
    """Swap in another registry, e.g. in tests that register throwaway functions."""
    from ..schema.builder import reset_schema

    new = new if new is not None else Registry()
    _active.append(new)
    reset_schema()
    try:
        yield new
    finally:
        _active.remove(new)
        reset_schema()
