"""Feature plugins: what each feature adds to the schema, the URLconf and the checks.

The core and the schema builder import no feature. Each feature of mizan_gql (functions,
persisted queries, channels, CSRF rules, forms, contexts, edge, allauth) is a
:class:`Plugin`, registered from an ``AppConfig.ready()``; the schema builder, the prepared
query path (through the schema's extensions), ``mizan_gql.urls`` and Django's check
framework read the one list kept here. A third-party Django app adds a plugin the same
way (docs/architecture.md)::

    AUDIT = Plugin(
        name="audit",
        order=200,
        extensions=[AuditExtension],
        checks=[check_audit_settings],
    )


    class AuditConfig(AppConfig):
        name = "audit"

        def ready(self):
            register_plugin(AUDIT)
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core import checks
from django.dispatch import Signal

from .registry.core import SchemaContributor
from .registry.entry import ClientFunction

__all__ = [
    "CallWrapper",
    "CheckFunction",
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


CheckFunction = Callable[..., list[checks.CheckMessage]]


@dataclass(frozen=True)
class Plugin:
    """One feature, as the schema, the URLconf and ``manage.py check`` see it.

    Every part is optional; each is read when what needs it is built (the schema on first
    use, the URLconf when it is imported):

    - ``extensions``: Strawberry schema extensions (classes or factories), outermost first.
      A class may say what it does for a *prepared query* (a query of a document the schema
      validated before, see :mod:`mizan_gql.schema.engine.prepared`) in its
      ``prepared_query`` attribute; without it, such queries take Strawberry's path.
    - ``contributors``: factories (classes) of objects adding root fields, called once per
      schema build (:class:`~mizan_gql.registry.SchemaContributor`).
    - ``call_wrappers``: code around the calls of server functions (the context cache is one).
    - ``checks``: Django system checks, registered with the tag ``mizan_gql``.
    - ``deploy_checks``: checks of a production set-up, run by ``manage.py check --deploy``.
    - ``urlpatterns``: URL patterns relative to the GraphQL path (``path("audit/", view)``),
      served one slash below it wherever ``mizan_gql.urls`` is included.
    - ``connect``: connects the feature's signal receivers, as an ``AppConfig.ready()``
      does; :func:`register_plugin` calls it (it must be safe to call twice: use
      ``dispatch_uid``).

    ``order`` places the plugin among all plugins (lower first): it orders their schema
    extensions and contributors. mizan_gql's own plugins use 10-80.
    """

    name: str
    order: int = 100
    extensions: Sequence[Any] = ()
    contributors: Sequence[Callable[[], SchemaContributor]] = ()
    call_wrappers: Sequence[CallWrapper] = ()
    checks: Sequence[CheckFunction] = ()
    deploy_checks: Sequence[CheckFunction] = ()
    urlpatterns: Sequence[Any] = ()
    connect: Callable[[], None] | None = None


# Sent when the list of plugins changes, so what was built from it (the schema) is rebuilt.
plugins_changed = Signal()

_plugins: list[Plugin] = []
_lock = threading.Lock()


def register_plugin(plugin: Plugin) -> Plugin:
    """Add ``plugin`` (replacing one of the same name), register its checks and connect
    its signal receivers."""
    _add(plugin)
    for check in plugin.checks:
        checks.register(check, "mizan_gql")
    for check in plugin.deploy_checks:
        checks.register(check, "mizan_gql", deploy=True)
    if plugin.connect is not None:
        plugin.connect()
    return plugin


def _add(plugin: Plugin) -> None:
    with _lock:
        _plugins[:] = [p for p in _plugins if p.name != plugin.name]
        _plugins.append(plugin)
    plugins_changed.send(sender=Plugin)


def get_plugins() -> list[Plugin]:
    """The registered plugins by ``order`` (registration order among equals)."""
    with _lock:
        return sorted(_plugins, key=lambda p: p.order)


@contextmanager
def use_plugins(*extra: Plugin) -> Iterator[list[Plugin]]:
    """Add ``extra`` plugins for the duration of the block (tests): their extensions,
    contributors and call wrappers reach the schema; their checks are not registered and
    their receivers not connected."""
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
