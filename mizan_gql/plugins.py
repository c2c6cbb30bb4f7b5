"""Feature plugins: what each feature adds to the schema, the URLconf and the checks.

The core and the schema builder import no feature. Each feature of mizan_gql (functions,
persisted queries, channels, CSRF rules, forms, contexts, edge, allauth) is a
:class:`Plugin`, registered from an ``AppConfig.ready()``; the schema builder, the prepared
query path (through the schema's extensions), ``mizan_gql.urls`` and Django's check
framework read the one list kept here. A third-party Django app adds a plugin the same
way (docs/architecture.md)::

    class AuditPlugin(Plugin):
        order = 200

        def extensions(self):
            return [AuditExtension]

        def checks(self):
            return [check_audit_settings]


    class AuditConfig(AppConfig):
        name = "audit"

        def ready(self):
            register_plugin(AuditPlugin())
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from django.core import checks
from django.dispatch import Signal

from .registry.core import SchemaContributor
from .registry.entry import ClientFunction

__all__ = [
    "CallWrapper",
    "Plugin",
    "get_plugins",
    "plugins_changed",
    "register_plugin",
    "use_plugins",
]

# ``around(entry, request, values, call)``: run ``await call()`` (or not) and return the result.
Around = Callable[
    [ClientFunction, Any, dict[str, Any], Callable[[], Awaitable[Any]]], Awaitable[Any]
]


class CallWrapper(NamedTuple):
    """Wraps the calls of the server functions for which ``applies(entry)`` is true."""

    around: Around
    applies: Callable[[ClientFunction], bool] | None = None


class Plugin:
    """One feature, as the schema, the URLconf and ``manage.py check`` see it.

    Override the methods for what the feature contributes; each is called when the part
    that needs it is built (the schema on first use, the URLconf when it is imported).
    """

    #: Position among plugins (lower first): it orders the schema extensions and the
    #: contributors of all plugins. mizan_gql's own plugins use 10-90.
    order: int = 100

    def extensions(self) -> Sequence[Any]:
        """Strawberry schema extensions (classes or factories), outermost first.

        A class may say what it does for a *prepared query* (a query of a document this
        schema validated before, see :mod:`mizan_gql.schema.engine.prepared`) with a
        ``prepared_query`` attribute; without it, such queries take Strawberry's path.
        """
        return ()

    def contributors(self) -> Sequence[SchemaContributor]:
        """Objects adding root fields to every schema (besides the registry's own)."""
        return ()

    def call_wrappers(self) -> Sequence[CallWrapper]:
        """Code run around the calls of server functions (the context cache is one)."""
        return ()

    def checks(self) -> Sequence[Callable[..., list[checks.CheckMessage]]]:
        """Django system checks, registered with the tag ``mizan_gql``."""
        return ()

    def urlpatterns(self) -> Sequence[Any]:
        """URL patterns served under ``include("mizan_gql.urls")``."""
        return ()


# Sent when the list of plugins changes, so what was built from it (the schema) is rebuilt.
plugins_changed = Signal()

_plugins: list[Plugin] = []
_lock = threading.Lock()


def register_plugin(plugin: Plugin) -> Plugin:
    """Add ``plugin`` (replacing one of the same class) and register its checks."""
    _add(plugin)
    for check in plugin.checks():
        checks.register(check, "mizan_gql")
    return plugin


def _add(plugin: Plugin) -> None:
    with _lock:
        _plugins[:] = [p for p in _plugins if type(p) is not type(plugin)]
        _plugins.append(plugin)
    plugins_changed.send(sender=Plugin)


def get_plugins() -> list[Plugin]:
    """The registered plugins by ``order`` (registration order among equals)."""
    with _lock:
        return sorted(_plugins, key=lambda p: p.order)


@contextmanager
def use_plugins(*extra: Plugin) -> Iterator[list[Plugin]]:
    """Add ``extra`` plugins for the duration of the block (tests): their extensions,
    contributors and call wrappers reach the schema; their checks are not registered."""
    with _lock:
        saved = list(_plugins)
    try:
        for plugin in extra:
            _add(plugin)
        yield get_plugins()
    finally:
        with _lock:
            _plugins[:] = saved
        plugins_changed.send(sender=Plugin)
