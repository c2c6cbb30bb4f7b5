"""Registry -> one Strawberry schema, built once (lazily) and then frozen."""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

import strawberry
from django.utils.module_loading import import_string
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from ..conf import mizan_settings
from ..exceptions import ConfigurationError, RegistrationError
from ..registry.core import Registry, get_registry
from ..registry.entry import ClientFunction, Problem
from ..registry.validation import registry_problems
from .errors import ErrorCodes, log_unexpected
from .fields import InvalidDefault, build_field, install_direct_resolvers
from .limits import DocumentLimits
from .runner import FastExtensionsRunner
from .types import TypeConverter, TypeNameCollision, UnsupportedType, show_annotation


class SchemaBuildError(RegistrationError):
    """The registry has mistakes; ``problems`` lists them (``manage.py check`` shows them)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p.id}: {p.message} HINT: {p.hint}" for p in problems)
        super().__init__(f"The mizan_gql registry cannot become a schema:\n{lines}")


class MizanSchema(strawberry.Schema):
    """Strawberry's schema, logging only unexpected errors (ClientErrors are normal)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_unexpected(errors)

    def create_extensions_runner(self, execution_context: Any, extensions: Any) -> Any:
        # Performance: hooks resolved once per extension class, not per request.
        return FastExtensionsRunner(execution_context=execution_context, extensions=extensions)


def build_schema(registry: Registry | None = None) -> MizanSchema:
    """Build the schema from ``registry``; raise :class:`SchemaBuildError` on mistakes."""
    from ..registry.autodiscover import autodiscover

    if registry is None:
        if mizan_settings.AUTODISCOVER:
            autodiscover()
        registry = get_registry()
    problems = [p for p in registry_problems(registry) if ".E" in p.id]

    converter = TypeConverter()
    queries: dict[str, StrawberryField] = {}
    mutations: dict[str, StrawberryField] = {}
    subscriptions: dict[str, StrawberryField] = {}
    built: list[tuple[ClientFunction, StrawberryField]] = []
    # Convert every function, even when others have mistakes, so that `manage.py check`
    # reports all the problems at once.
    for entry in registry.functions:
        if entry.problems:
            continue  # its signature could not be read; already reported
        try:
            field = build_field(entry, converter)
        except UnsupportedType as exc:
            problems.append(
                Problem(
                    "mizan_gql.E012",
                    f"{exc.where}: {show_annotation(exc.annotation)} is not a supported "
                    f"type{exc.reason}.",
                    "Use str, int, float, bool, Decimal, date, datetime, time, UUID, an Enum, "
                    "a Literal, list[...], X | None, dict (JSON), a pydantic model or a "
                    "Strawberry type.",
                    entry.func,
                )
            )
            continue
        except TypeNameCollision as exc:
            problems.append(_collision_problem(exc, entry.func))
            continue
        except Exception as exc:  # e.g. a default GraphQL cannot represent
            problems.append(_field_problem(entry, exc))
            continue
        (mutations if entry.is_mutation else queries)[entry.name] = field
        built.append((entry, field))
    if problems:
        raise SchemaBuildError(problems)
    from ..channels.invalidations import InvalidationsContributor

    for contributor in [*registry.contributors, InvalidationsContributor()]:
        if hasattr(contributor, "bind_converter"):  # share type names with the functions
            contributor.bind_converter(converter)
        queries.update(contributor.query_fields())
        mutations.update(contributor.mutation_fields())
        subscriptions.update(contributor.subscription_fields())

    user = _user_roots()
    for kind, ours in (
        ("QUERY", queries),
        ("MUTATION", mutations),
        ("SUBSCRIPTION", subscriptions),
    ):
        problems.extend(_merge_problems(kind, user[kind], ours))
    if problems:
        raise SchemaBuildError(problems)
    if not queries and user["QUERY"] is None:
        queries["mizan_version"] = strawberry.field(resolver=_version, name="mizanVersion")  # type: ignore[assignment]

    try:
        schema = MizanSchema(
            query=_root("Query", queries, user["QUERY"]),  # type: ignore[arg-type]
            mutation=_root("Mutation", mutations, user["MUTATION"]),
            subscription=_root("Subscription", subscriptions, user["SUBSCRIPTION"]),
            types=[_load(t, "TYPES") for t in mizan_settings.TYPES],
            extensions=_extensions(),
            config=StrawberryConfig(auto_camel_case=True),
            # channels: one execution per broadcast and operation, shared by subscribers
            execution_context_class=_shared_executor(),
        )
    except TypeNameCollision as exc:
        raise SchemaBuildError([_collision_problem(exc, None)]) from exc
    except Exception as exc:  # Strawberry's own schema errors, e.g. duplicated type names
        raise SchemaBuildError(
            [
                Problem(
                    "mizan_gql.E016" if "name" in str(exc).lower() else "mizan_gql.E030",
                    f"Strawberry could not build the schema: {exc}",
                    "Give each GraphQL type a unique name (rename one of the classes, or pass "
                    "name= to strawberry.type).",
                )
            ]
        ) from exc
    # Performance: simple functions' fields skip Strawberry's per-call resolver wrapper.
    install_direct_resolvers(schema._schema, built)
    schema.mizan_registry = registry  # type: ignore[attr-defined]
    registry.freeze()
    return schema


def _version() -> str:
    from importlib.metadata import version

    return version("mizan-gql")


def _field_problem(entry: ClientFunction, exc: Exception) -> Problem:
    reason = str(exc) if isinstance(exc, InvalidDefault) else f"{type(exc).__name__}: {exc}"
    return Problem(
        "mizan_gql.E019",
        f"Server function {entry.qualname!r} (registered as {entry.name!r}) cannot become a "
        f"GraphQL field: {reason}.",
        "Check the parameter types and defaults; defaults must be JSON-like values of the "
        "parameter's type.",
        entry.func,
    )


def _collision_problem(exc: TypeNameCollision, func: Any) -> Problem:
    return Problem(
        "mizan_gql.E016",
        f"{exc}.",
        "Rename one of the classes; GraphQL type names must be unique across the schema.",
        func,
    )


def _load(value: Any, key: str) -> Any:
    if isinstance(value, str):
        try:
            return import_string(value)
        except ImportError as exc:
            raise ConfigurationError(f"MIZAN[{key!r}]: cannot import {value!r}: {exc}") from exc
    return value


def _user_roots() -> dict[str, Any]:
    return {
        key: _load(getattr(mizan_settings, key), key)
        for key in ("QUERY", "MUTATION", "SUBSCRIPTION")
    }


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


def _shared_executor() -> Any:
    from ..channels.shared import SharedEventExecutor

    return SharedEventExecutor


def _extensions() -> list[Any]:
    from strawberry_django.optimizer import DjangoOptimizerExtension

    from ..channels.errors import StreamErrorCodes
    from ..contexts import ContextsExtension
    from ..forms.input_errors import FormInputErrors
    from ..forms.uploads import MultipartPreflight
    from ..http.csrf import MutationCSRF

    configured = [_load(e, "SCHEMA_EXTENSIONS") for e in mizan_settings.SCHEMA_EXTENSIONS]
    extensions: list[Any] = [
        ErrorCodes,
        StreamErrorCodes,
        MutationCSRF,
        MultipartPreflight,  # forms: multipart mutations need a preflight header
        FormInputErrors,  # forms: structured errors for mistyped form data
        ContextsExtension,  # contexts: invalidation header/extensions, cache headers
        # Size, tokens, depth, aliases, directives, cycles and the validation error cap,
        # in linear time (Strawberry's depth/alias limiters are exponential in fragments).
        DocumentLimits,
    ]
    from ..persisted import PersistedQueries

    # First, so that a persisted-query refusal happens before any other extension starts.
    extensions.insert(0, PersistedQueries)
    if not mizan_settings.INTROSPECTION:
        from graphql.validation import NoSchemaIntrospectionCustomRule

        extensions.append(partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
    if not any(_is(e, DjangoOptimizerExtension) for e in configured):
        extensions.append(DjangoOptimizerExtension)
    return extensions + configured


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
    """Forget the built schema (settings changed, or a test swapped registries)."""
    global _schema
    with _lock:
        _schema = None
