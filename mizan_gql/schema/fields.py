"""One registered function -> one Strawberry root field with a generated resolver.

The resolver validates arguments with pydantic (so ``Field(gt=0)`` and custom validators
hold), runs sync functions in a worker thread (the ORM works and the event loop never
blocks), and materialises returned querysets through strawberry-django's optimizer.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import strawberry
from asgiref.sync import sync_to_async
from pydantic import BaseModel, TypeAdapter, ValidationError
from strawberry.types.base import has_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from ..auth import permission_classes_for
from ..constants import INFO_PARAM
from ..exceptions import ClientError, pydantic_field_errors
from ..plugins import Around, CallWrapper
from ..registry.entry import ClientFunction, Param
from ..request import request_from_info
from .types import TypeConverter, mentions

__all__ = ["InvalidDefault", "build_field", "install_direct_resolvers", "to_python"]


def build_field(
    entry: ClientFunction, converter: TypeConverter, call_wrappers: Sequence[CallWrapper] = ()
) -> StrawberryField:
    """The root field of ``entry``; its calls go through the ``call_wrappers`` that apply."""
    where = f"Server function {entry.qualname!r} (registered as {entry.name!r})"
    parameters = [
        inspect.Parameter(INFO_PARAM, inspect.Parameter.KEYWORD_ONLY, annotation=strawberry.Info)
    ]
    adapters: dict[str, TypeAdapter[Any]] = {}
    object_defaults: dict[str, Any] = {}
    for param in entry.params:
        gql_type = converter.input(param.annotation, f"{where}, parameter `{param.name}`")
        default = param.default
        if isinstance(default, BaseModel):
            # GraphQL cannot spell a model default: the argument is optional and pydantic's
            # default applies when it is omitted.
            object_defaults[param.name] = default
            gql_type, default = gql_type | None, None
        elif param.required and _is_optional(gql_type):
            default = None
        parameters.append(
            inspect.Parameter(
                param.name, inspect.Parameter.KEYWORD_ONLY, annotation=gql_type, default=default
            )
        )
        adapters[param.name] = TypeAdapter(param.annotation)
        if not param.required and param.name not in object_defaults:
            _check_default(adapters[param.name], param)
    return_type = converter.output(entry.return_annotation, f"{where}, return type")
    output_adapter = _output_adapter(entry.return_annotation)
    wrappers = [w.around for w in call_wrappers if w.applies is None or w.applies(entry)]
    call = _make_call(entry, adapters, output_adapter, object_defaults, wrappers)

    async def resolver(**kwargs: Any) -> Any:
        return await call(kwargs)

    resolver.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        parameters, return_annotation=return_type
    )
    resolver.__annotations__ = {p.name: p.annotation for p in parameters}
    resolver.__annotations__["return"] = return_type
    resolver.__name__ = entry.name
    resolver.__qualname__ = entry.name
    field = strawberry.field(
        resolver=resolver,
        name=to_camel_case(entry.name),
        description=entry.description,
        deprecation_reason=entry.options.deprecation_reason,
        permission_classes=permission_classes_for(entry.options.auth),
    )
    # A server function's field: the compiled query path (engine/compiled.py) resolves it.
    field.mizan_function = entry  # type: ignore[attr-defined]
    if _resolves_directly(entry, output_adapter):
        field.mizan_direct_call = call  # type: ignore[attr-defined]  # see install_direct_resolvers
    return field


_SCALARS = (str, int, float, bool)


def _plain_scalar(annotation: Any) -> bool:
    """str, int, float or bool, optionally ``Annotated`` (pydantic constraints) or ``| None``."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _plain_scalar(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return len(rest) == 1 and _plain_scalar(rest[0])
    return annotation in _SCALARS


def _resolves_directly(entry: ClientFunction, output_adapter: TypeAdapter[Any] | None) -> bool:
    """Whether Strawberry's resolver wrapper would pass this field's arguments unchanged.

    For String, Int, Float and Boolean arguments Strawberry's argument conversion is the
    identity; with no permission classes and a pydantic-checked result (no Strawberry or
    strawberry-django types, hence no querysets) its wrapper adds nothing but its cost.
    """
    return (
        entry.options.auth in (None, False)
        and output_adapter is not None
        and all(_plain_scalar(p.annotation) for p in entry.params)
    )


def install_direct_resolvers(
    graphql_schema: Any, built: list[tuple[ClientFunction, StrawberryField]]
) -> None:
    """Let graphql-core call simple functions' fields without Strawberry's wrapper.

    graphql-core passes the coerced arguments by GraphQL name; each is handed to the
    function's call under its Python name, exactly as Strawberry's wrapper would.
    """
    for entry, strawberry_field in built:
        call = getattr(strawberry_field, "mizan_direct_call", None)
        root = graphql_schema.mutation_type if entry.is_mutation else graphql_schema.query_type
        field = root.fields.get(to_camel_case(entry.name)) if root is not None else None
        if call is None or field is None:
            continue
        python_names = {to_camel_case(p.name): p.name for p in entry.params}
        if set(field.args) != set(python_names):
            continue  # not the arguments this function declared: keep Strawberry's wrapper
        names = {(arg.out_name or name): python_names[name] for name, arg in field.args.items()}
        field.resolve = _direct(call, names)


def _direct(
    call: Callable[[dict[str, Any]], Awaitable[Any]], names: dict[str, str]
) -> Callable[..., Awaitable[Any]]:
    def resolve(_root: Any, info: Any, **args: Any) -> Awaitable[Any]:
        kwargs = {names[name]: value for name, value in args.items()}
        kwargs[INFO_PARAM] = info
        return call(kwargs)

    return resolve


class InvalidDefault(ValueError):
    """A parameter's default is not a valid value of its own type."""


def _check_default(adapter: TypeAdapter[Any], param: Param) -> None:
    # The default is shown in the SDL and used when the argument is omitted: a wrong one
    # would fail every call that omits it, so it is a registration mistake.
    try:
        adapter.validate_python(param.default)
    except ValidationError as exc:
        message = exc.errors(include_url=False)[0]["msg"]
        raise InvalidDefault(
            f"the default of `{param.name}` ({param.default!r}) is not valid: {message}"
        ) from exc


def _make_call(
    entry: ClientFunction,
    adapters: dict[str, TypeAdapter[Any]],
    output_adapter: TypeAdapter[Any] | None,
    object_defaults: dict[str, Any],
    wrappers: list[Around],
) -> Callable[[dict[str, Any]], Awaitable[Any]]:
    func = entry.func

    async def call(kwargs: dict[str, Any]) -> Any:
        info = kwargs.pop(INFO_PARAM)
        for name, default in object_defaults.items():
            if kwargs.get(name) is None:
                kwargs[name] = default
        request = request_from_info(info)
        values = validate_arguments(adapters, kwargs)

        if entry.is_async:

            async def run() -> Any:
                result = await func(request, **values)
                if _is_queryset(result):
                    result = await _materialize_in_thread(result, info)
                return result
        else:

            async def run() -> Any:
                return await _call_in_thread(func, request, values, info)

        invoke: Callable[[], Awaitable[Any]] = run
        for wrapper in wrappers:
            invoke = _wrapped(wrapper, entry, request, values, invoke)
        result = await invoke()
        if output_adapter is not None and result is not None:
            result = output_adapter.validate_python(result)
        return result

    return call


def _wrapped(
    wrapper: Around,
    entry: ClientFunction,
    request: Any,
    values: dict[str, Any],
    inner: Callable[[], Awaitable[Any]],
) -> Callable[[], Awaitable[Any]]:
    async def invoke() -> Any:
        return await wrapper(entry, request, values, inner)

    return invoke


def validate_arguments(
    adapters: dict[str, TypeAdapter[Any]], raw: dict[str, Any]
) -> dict[str, Any]:
    """Validate GraphQL arguments with pydantic; failures become ``BAD_USER_INPUT``."""
    values: dict[str, Any] = {}
    field_errors: list[dict[str, Any]] = []
    for name, adapter in adapters.items():
        try:
            values[name] = adapter.validate_python(to_python(raw.get(name)))
        except ValidationError as exc:
            field_errors.extend(pydantic_field_errors(exc, [name]))
    if field_errors:
        raise ClientError.invalid_input(field_errors)
    return values


def to_python(value: Any) -> Any:
    """Strawberry input objects -> plain dicts (unset fields dropped) for pydantic."""
    if has_object_definition(value):
        return {
            f.python_name: to_python(getattr(value, f.python_name))
            for f in value.__strawberry_definition__.fields
            if getattr(value, f.python_name) is not strawberry.UNSET
        }
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


_queryset_types: tuple[type, ...] = ()


def _is_queryset(value: Any) -> bool:
    global _queryset_types
    if not _queryset_types:  # imported on first use: this module loads before the models
        from django.db.models import QuerySet
        from django.db.models.manager import BaseManager

        _queryset_types = (QuerySet, BaseManager)
    return isinstance(value, _queryset_types)


def _materialize(result: Any, info: Any) -> Any:
    """Evaluate querysets in the worker thread, optimized for the selection."""
    if not _is_queryset(result):
        return result
    from strawberry_django.optimizer import optimize

    return list(optimize(result, info))


def _call_sync(func: Callable[..., Any], request: Any, values: dict[str, Any], info: Any) -> Any:
    return _materialize(func(request, **values), info)


# Built once: a SyncToAsync is stateless between calls, and building one per call
# (inspect checks, functools.wraps) costs more than the call itself.
_call_in_thread = sync_to_async(_call_sync, thread_sensitive=True)
_materialize_in_thread = sync_to_async(_materialize, thread_sensitive=True)


def _output_adapter(annotation: Any) -> TypeAdapter[Any] | None:
    """Validate results against the annotation: dicts become the declared pydantic models,
    and a wrong value is a server error here rather than a confusing serialization error.

    None for Strawberry types (querysets and model instances pass through untouched) and
    for annotations pydantic cannot check (Strawberry scalars).
    """
    if annotation is None or annotation is type(None):
        return None
    if mentions(annotation, has_object_definition):
        return None
    try:
        return TypeAdapter(annotation)
    except Exception:  # e.g. strawberry.scalars.JSON
        return None


def _is_optional(gql_type: Any) -> bool:
    return type(None) in typing.get_args(gql_type)
