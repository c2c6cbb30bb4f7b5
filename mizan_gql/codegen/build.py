"""Schema + registry -> :class:`ClientModel`.

Each generated operation (``mizan_gql.schema.operations_for``) is run through Strawberry's
``QueryCodegen`` (as adapted in ``schema/engine/codegen.py``), which yields its result,
variables, input and enum types; the registry adds contexts, forms and channels.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType
from strawberry.codegen.types import GraphQLOptional, GraphQLType
from strawberry.utils.str_converters import capitalize_first, to_camel_case

from ..channels.contributor import ChannelContributor
from ..constants import HYDRATION_ELEMENT_ID
from ..contexts import context_policy
from ..csrf import csrf_header_name
from ..exceptions import MizanError
from ..forms.contributor import FormContributor
from ..forms.describe import describe_form
from ..registry.entry import CONTEXT_GLOBAL, CONTEXT_LOCAL
from ..request import anonymous_user
from ..schema.engine import graphql_schema
from ..schema.engine.codegen import Collect, WireQueryCodegen
from ..schema.operations import Operation, operations_for
from .model import (
    ChannelModel,
    ClientModel,
    ContextModel,
    ContextParam,
    FormModel,
    OperationModel,
    ServerModel,
)

__all__ = ["CodegenError", "build_client"]

# Scalars a context's GET endpoint reads from query-string text.
ENDPOINT_SCALARS = {"String", "Int", "Float", "Boolean", "ID", "Date", "DateTime", "Time", "UUID"}


class CodegenError(MizanError):
    """The schema cannot be turned into a client (e.g. two types would share one name)."""


def build_client(schema: Any) -> ClientModel:
    """The client model of a built mizan schema."""
    model = ClientModel(server=_server())
    operations = operations_for(schema)
    descriptions = _descriptions(schema)
    for field_name, operation in sorted(operations.fields.items()):
        model.operations[field_name] = _operation(schema, model, operation, descriptions)
    for context_name, operation in sorted(operations.contexts.items()):
        model.context_operations[context_name] = _operation(schema, model, operation, {})
    registry = getattr(schema, "mizan_registry", None)
    if registry is not None:
        model.contexts = _contexts(schema, model, registry)
        model.forms = _forms(registry, model)
        model.channels = _channels(registry, model)
    model.types = dict(sorted(model.types.items()))
    model.input_types.update(
        name
        for name, graphql_type in graphql_schema(schema).type_map.items()
        if isinstance(graphql_type, GraphQLInputObjectType) and name in model.types
    )
    return model


def _operation(
    schema: Any,
    model: ClientModel,
    operation: Operation,
    descriptions: dict[str, tuple[str | None, str | None]],
) -> OperationModel:
    collect = Collect()
    WireQueryCodegen(schema, [collect]).run(operation.document)
    assert collect.operation is not None
    generated = collect.operation
    variables_type = generated.variables_type
    for type_ in collect.types:
        _add_type(model, type_, operation.name)
    if variables_type is not None:
        model.input_types.add(variables_type.name)
    field = operation.fields[0] if operation.context is None else None
    description, deprecation = descriptions.get(field or "", (None, None))
    return OperationModel(
        name=operation.name,
        kind=operation.kind,
        document=operation.document,
        sha256=operation.sha256,
        field=field,
        result_type=generated.type.name,
        variables_type=variables_type.name if variables_type is not None else None,
        variables_required=any(
            not isinstance(v.type, GraphQLOptional) for v in generated.variables
        ),
        description=description,
        deprecation_reason=deprecation,
    )


def _add_type(model: ClientModel, type_: GraphQLType, operation: str) -> None:
    name = getattr(type_, "name", None)
    if name is None or type(type_).__name__ == "GraphQLScalar":
        return  # scalars map to TypeScript types directly
    existing = model.types.get(name)
    if existing is None:
        model.types[name] = type_
    elif existing != type_:
        raise CodegenError(
            f"The generated TypeScript type {name!r} of operation {operation} differs from "
            "another type of the same name; rename the GraphQL operation or type so that "
            f"`{name}` is unique."
        )


def _descriptions(schema: Any) -> dict[str, tuple[str | None, str | None]]:
    result: dict[str, tuple[str | None, str | None]] = {}
    graphql = graphql_schema(schema)
    for root in (graphql.query_type, graphql.mutation_type, graphql.subscription_type):
        for name, field in (root.fields if root is not None else {}).items():
            result[name] = (field.description, field.deprecation_reason)
    return result


def _contexts(schema: Any, model: ClientModel, registry: Any) -> list[ContextModel]:
    root = graphql_schema(schema).query_type
    assert root is not None  # contexts are queries
    result = []
    for name, entries in registry.contexts().items():
        operation = model.context_operations.get(name)
        if operation is None:
            continue
        declared = entries[0].options.context
        kind = (
            "global"
            if declared == CONTEXT_GLOBAL
            else "local"
            if declared == CONTEXT_LOCAL
            else "named"
        )
        fields = tuple(to_camel_case(e.name) for e in entries)
        params = tuple(
            ContextParam(p.name, to_camel_case(p.name), p.required) for p in entries[0].params
        )
        endpoint = all(
            _endpoint_safe(root.fields[f].args[p.graphql].type)
            for p in params
            for f in fields
            if p.graphql in root.fields[f].args
        )
        result.append(
            ContextModel(
                name=name,
                kind=kind,  # type: ignore[arg-type]
                operation=operation,
                fields=fields,
                params=params,
                endpoint=endpoint,
                cache=context_policy(name).cache,
            )
        )
    return result


def _endpoint_safe(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        type_ = type_.of_type
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
    return isinstance(type_, GraphQLScalarType) and type_.name in ENDPOINT_SCALARS


def _forms(registry: Any, model: ClientModel) -> list[FormModel]:
    forms = []
    for contributor in registry.contributors:
        if not isinstance(contributor, FormContributor):
            continue
        names = contributor.root_names()
        name = contributor.meta.name
        forms.append(
            FormModel(
                name=name,
                pascal=contributor.type_prefix,
                schema_field=names[f"{name}_schema"],
                validate_field=names[f"{name}_validate"],
                submit_field=names[f"{name}_submit"],
                input_type=f"{contributor.type_prefix}FormInput",
                schema=_form_schema(contributor),
            )
        )
    return sorted(forms, key=lambda f: f.name)


def _form_schema(contributor: Any) -> dict[str, Any]:
    """What ``<name>Schema`` answers for an anonymous visitor, without touching the database.

    Model choice fields are described without their choices: those are rows, which the
    server checks (and which would make the generated code depend on the database).
    """
    form_class = contributor.form_class
    request = HttpRequest()
    request.user = anonymous_user()
    try:
        kwargs = form_class.get_form_kwargs(request)
    except Exception:
        # get_form_kwargs may expect a signed-in user: describe the form without its extras,
        # as the server does for fields it cannot know ahead (the server validates anyway).
        kwargs = {}
    form = form_class(**kwargs)
    form.request = request
    specs = contributor.specs()
    for name, field in form.fields.items():
        if isinstance(field, django_forms.ModelChoiceField) and name in specs:
            field.choices = []  # type: ignore[assignment]
    described = describe_form(form, contributor.meta, specs, contributor.input_names())
    return _camel(dataclasses.asdict(described))


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel_case(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _channels(registry: Any, model: ClientModel) -> list[ChannelModel]:
    channels = []
    for contributor in registry.contributors:
        if not isinstance(contributor, ChannelContributor):
            continue
        cls = contributor.channel
        field = cls.graphql_name or ""
        send = f"{field}Send" if cls.ReactMessage is not None else None
        if field in model.operations:
            channels.append(
                ChannelModel(
                    field=field,
                    pascal=capitalize_first(field),
                    send_field=send if send in model.operations else None,
                )
            )
    return sorted(channels, key=lambda c: c.field)


def _server() -> ServerModel:
    try:
        graphql_path = reverse("mizan_gql:graphql")
    except NoReverseMatch:
        graphql_path = "/graphql"
    try:
        context_path = reverse("mizan_gql:context", kwargs={"context": "ctx"})[: -len("ctx/")]
    except NoReverseMatch:
        context_path = graphql_path.rstrip("/") + "/ctx/"
    return ServerModel(
        graphql_path=graphql_path,
        context_path=context_path,
        csrf_cookie_name=settings.CSRF_COOKIE_NAME,
        csrf_header_name=csrf_header_name(),
        hydration_element_id=HYDRATION_ELEMENT_ID,
    )
