"""Registry + plugins -> one :class:`MizanSchema`, built once (lazily) and then frozen.

The builder knows no feature. It asks every registered plugin (``mizan_gql.plugins``)
for its contributors (root fields), call wrappers and schema extensions, adds the
registry's own contributors (channels, forms) and the project's root types and extensions
from ``MIZAN``, and builds one Strawberry schema. The schema is forgotten - and built again
on next use - when the settings, the registry in use or the plugins change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import strawberry
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.exceptions import DuplicatedTypeName
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case
from strawberry_django.optimizer import DjangoOptimizerExtension

from ..conf import WATCHED_SETTINGS, mizan_settings
from ..exceptions import ConfigurationError, Problem, SchemaBuildError
from ..plugins import CallWrapper, Plugin, get_plugins, plugins_changed
from ..registry.autodiscover import autodiscover
from ..registry.core import Registry, SchemaContributor, get_registry, registry_swapped
from ..registry.validation import registry_problems
from .engine.schema import MizanSchema
from .engine.sharing import SharedEventExecutor
from .limits import DocumentLimits
from .types import TypeConverter, TypeNameCollision, collision_problem

__all__ = ["SchemaBuild", "build_schema", "get_schema", "reset_schema"]

ROOTS = ("QUERY", "MUTATION", "SUBSCRIPTION")


@dataclass(frozen=True)
class SchemaBuild:
    """What one build shares with its contributors (see ``SchemaContributor.bind``)."""

    registry: Registry
    # Converts annotations to Strawberry types, remembering every GraphQL name handed out,
    # so a name claimed twice anywhere in the schema is reported.
    converter: TypeConverter
    # The plugins' wrappers around server function calls, in plugin order.
    call_wrappers: tuple[CallWrapper, ...]


def build_schema(registry: Registry | None = None) -> MizanSchema:
    """Build the schema from ``registry``; raise :class:`SchemaBuildError` on mistakes."""
    if registry is None:
        if mizan_settings.AUTODISCOVER:
            autodiscover()
        registry = get_registry()
    plugins = get_plugins()
    problems = [p for p in registry_problems(registry) if ".E" in p.id]
    build = SchemaBuild(
        registry=registry,
        converter=TypeConverter(),
        call_wrappers=tuple(w for plugin in plugins for w in plugin.call_wrappers),
    )
    contributors: list[SchemaContributor] = [
        *(make() for plugin in plugins for make in plugin.contributors),
        *registry.contributors,
    ]
    fields: dict[str, dict[str, StrawberryField]] = {root: {} for root in ROOTS}
    for contributor in contributors:
        try:
            contributor.bind(build)
            fields["QUERY"].update(contributor.query_fields())
            fields["MUTATION"].update(contributor.mutation_fields())
            fields["SUBSCRIPTION"].update(contributor.subscription_fields())
        except SchemaBuildError as exc:
            problems.extend(exc.problems)
        if problems:  # later contributors build on what the earlier ones declared
            raise SchemaBuildError(problems)

    user = {root: _load(getattr(mizan_settings, root), root) for root in ROOTS}
    for root in ROOTS:
        problems.extend(_merge_problems(root, user[root], fields[root]))
    if problems:
        raise SchemaBuildError(problems)
    if not fields["QUERY"] and user["QUERY"] is None:
        fields["QUERY"]["mizan_version"] = strawberry.field(  # type: ignore[assignment]
            resolver=_version, name="mizanVersion"
        )

    try:
        schema = MizanSchema(
            query=_root("Query", fields["QUERY"], user["QUERY"]),  # type: ignore[arg-type]
            mutation=_root("Mutation", fields["MUTATION"], user["MUTATION"]),
            subscription=_root("Subscription", fields["SUBSCRIPTION"], user["SUBSCRIPTION"]),
            types=[_load(t, "TYPES") for t in mizan_settings.TYPES],
            extensions=_extensions(plugins),
            config=StrawberryConfig(auto_camel_case=True),
            # channels: one execution per broadcast and operation, shared by subscribers
            execution_context_class=SharedEventExecutor,
        )
    except TypeNameCollision as exc:
        raise SchemaBuildError([collision_problem(exc, None)]) from exc
    except DuplicatedTypeName as exc:
        raise SchemaBuildError([_strawberry_problem("mizan_gql.E016", exc)]) from exc
    except Exception as exc:  # Strawberry's own schema errors
        raise SchemaBuildError([_strawberry_problem("mizan_gql.E030", exc)]) from exc
    for contributor in contributors:
        contributor.finish(schema)
    schema.mizan_registry = registry
    registry.freeze()
    return schema


def _version() -> str:
    return version("mizan-gql")


def _strawberry_problem(check_id: str, exc: Exception) -> Problem:
    return Problem(
        check_id,
        f"Strawberry could not build the schema: {exc}",
        "Give each GraphQL type a unique name (rename one of the classes, or pass name= to "
        "strawberry.type).",
    )


def _load(value: Any, key: str) -> Any:
    if isinstance(value, str):
        try:
            return import_string(value)
        except ImportError as exc:
            raise ConfigurationError(f"MIZAN[{key!r}]: cannot import {value!r}: {exc}") from exc
    return value


def _merge_problems(kind: str, user_type: Any, ours: dict[str, StrawberryField]) -> list[Problem]:
    if user_type is None:
        return []
    # Compare GraphQL names: the fields of ``ours`` are not bound to a class yet.
    theirs = {
        f.graphql_name or to_camel_case(f.python_name)
        for f in user_type.__strawberry_definition__.fields
    }
    mine = {f.graphql_name or to_camel_case(key) for key, f in ours.items()}
    clashes = sorted(theirs & mine)
    return [
        Problem(
            "mizan_gql.E015",
            f"The field {name!r} is defined by MIZAN[{kind!r}] "
            f"({user_type.__qualname__}) and by a registered function.",
            "Rename the function or the field of your Strawberry type.",
        )
        for name in clashes
    ]


def _root(name: str, fields: dict[str, StrawberryField], user_type: Any) -> Any:
    if not fields:
        return user_type
    # Sorted so the SDL does not depend on the order contributors were registered in.
    ours = strawberry.type(type(name, (), dict(sorted(fields.items()))), name=name)
    if user_type is None:
        return ours
    return merge_types(name, (user_type, ours))


def _extensions(plugins: list[Plugin]) -> list[Any]:
    """The plugins' extensions in plugin order, then the schema's own, then the project's."""
    configured = [_load(e, "SCHEMA_EXTENSIONS") for e in mizan_settings.SCHEMA_EXTENSIONS]
    extensions: list[Any] = [e for plugin in plugins for e in plugin.extensions]
    # Size, tokens, depth, aliases, directives, cycles and the validation error cap,
    # in linear time (Strawberry's depth/alias limiters are exponential in fragments).
    extensions.append(DocumentLimits)
    if not mizan_settings.INTROSPECTION:
        extensions.append(NoIntrospection)
    if not any(_is(e, DjangoOptimizerExtension) for e in configured):
        extensions.append(DjangoOptimizerExtension)
    return extensions + configured


class NoIntrospection(AddValidationRules):
    """Strawberry's ``AddValidationRules([NoSchemaIntrospectionCustomRule])``, whose rules
    tuple (the operation's rules and this one) is made once and shared: Strawberry's makes
    one per operation, which a subscription keeps for its whole life."""

    def __init__(self) -> None:
        super().__init__([NoSchemaIntrospectionCustomRule])

    def on_operation(self) -> Iterator[None]:
        execution_context = self.execution_context
        execution_context.validation_rules = _with_no_introspection(
            execution_context.validation_rules
        )
        yield


@lru_cache(maxsize=8)  # one entry per set of rules a schema validates with
def _with_no_introspection(rules: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*rules, NoSchemaIntrospectionCustomRule)


def _is(extension: Any, cls: type) -> bool:
    return (
        extension is cls
        or isinstance(extension, cls)
        or (isinstance(extension, type) and issubclass(extension, cls))
    )


_schema: MizanSchema | None = None
_lock = threading.Lock()


def get_schema() -> MizanSchema:
    """The project's schema, built on first use."""
    global _schema
    if _schema is None:
        with _lock:
            if _schema is None:
                _schema = build_schema()
    return _schema


def reset_schema() -> None:
    """Forget the built schema; the next :func:`get_schema` builds it again."""
    global _schema
    with _lock:
        _schema = None


@receiver(setting_changed)
def _reset_on_settings(*, setting: str, **kwargs: Any) -> None:
    if setting in WATCHED_SETTINGS:
        reset_schema()


@receiver(registry_swapped)
@receiver(plugins_changed)
def _reset_on_change(**kwargs: Any) -> None:
    reset_schema()
