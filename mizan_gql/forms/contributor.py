"""One registered form -> its input type and the ``Schema``/``Validate``/``Submit`` fields."""

from __future__ import annotations

from typing import Any, Optional

import strawberry
from django import forms
from django.db import DEFAULT_DB_ALIAS, router
from pydantic import TypeAdapter
from strawberry.scalars import JSON
from strawberry.types.base import has_object_definition
from strawberry.utils.str_converters import to_camel_case

from ..exceptions import Problem, SchemaBuildError
from ..registry.core import SchemaContributor, get_registry
from ..schema.types import (
    TypeConverter,
    TypeNameCollision,
    UnsupportedType,
    collision_problem,
    mentions,
)
from .mapping import FieldSpec, field_spec
from .meta import MizanFormMeta
from .operations import OPERATIONS, FormOperations
from .problems import form_problems
from .results import mentions_model, result_annotation
from .types import SHARED_TYPES, FormError, FormFieldError

__all__ = ["FormContributor"]


class FormContributor(SchemaContributor):
    """The registry's view of one ``MizanFormMixin`` class (a schema contributor)."""

    def __init__(self, form_class: type[Any]) -> None:
        self.form_class = form_class
        self._converter: TypeConverter | None = None
        self._built: tuple[TypeConverter, dict[str, Any], dict[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"form {self.qualname}"

    # -- naming ---------------------------------------------------------------------
    @property
    def qualname(self) -> str:
        return f"{self.form_class.__module__}.{self.form_class.__qualname__}"

    @property
    def meta(self) -> MizanFormMeta:
        return self.form_class.__dict__["mizan"]  # type: ignore[no-any-return]

    @property
    def type_prefix(self) -> str:
        camel = to_camel_case(self.meta.name)
        return camel[:1].upper() + camel[1:]

    def root_names(self) -> dict[str, str]:
        """Python attribute -> GraphQL root field name of the three operations."""
        name = self.meta.name
        return {f"{name}_{op}": to_camel_case(f"{name}_{op}") for op in OPERATIONS}

    def specs(self) -> dict[str, FieldSpec]:
        """The typed fields of the form, in declaration order (untypable ones left out)."""
        result = {}
        for name, field in self.form_class.base_fields.items():
            spec = field_spec(field)
            if spec is not None:
                result[name] = spec
        return result

    def input_names(self) -> dict[str, str]:
        return {name: to_camel_case(name) for name in self.form_class.base_fields}

    @property
    def is_model_form(self) -> bool:
        return issubclass(self.form_class, forms.BaseModelForm)

    # -- SchemaContributor ------------------------------------------------------------
    def bind(self, build: Any) -> None:
        """Share the schema's type converter, so models used elsewhere keep one type."""
        self._converter = build.converter

    def query_fields(self) -> dict[str, Any]:
        return self._build()[1]

    def mutation_fields(self) -> dict[str, Any]:
        return self._build()[2]

    def problems(self) -> list[Problem]:
        return form_problems(self, self._earlier_forms())

    def _earlier_forms(self) -> list[FormContributor]:
        """The forms registered before this one (a clash is reported on the later form)."""
        earlier = []
        for other in get_registry().contributors:
            if other is self:
                break
            if isinstance(other, FormContributor):
                earlier.append(other)
        return earlier

    # -- building ---------------------------------------------------------------------
    def _build(self) -> tuple[TypeConverter, dict[str, Any], dict[str, Any]]:
        if self._converter is None:  # built outside build_schema: a converter of our own
            self._converter = TypeConverter()
        converter = self._converter
        if self._built is not None and self._built[0] is converter:
            return self._built
        where = f"Form {self.qualname}"
        try:
            for shared in SHARED_TYPES:
                definition: Any = shared.__strawberry_definition__  # type: ignore[union-attr]
                converter.claim(definition.name, shared)
            # GraphQL has no empty input objects: a form without fields takes no `data`.
            input_type = self._input_type(converter) if self.specs() else None
            submission_type, adapter = self._submission_type(converter, where)
        except TypeNameCollision as exc:
            hint = (
                "Rename the form (mizanFormMeta(name=...)) or the other class; GraphQL type "
                "names must be unique across the schema."
            )
            raise SchemaBuildError([collision_problem(exc, self.form_class, hint)]) from exc
        except UnsupportedType as exc:
            raise SchemaBuildError(
                [
                    Problem(
                        "mizan_gql.E046",
                        f"{exc.where}: the return annotation of on_submit_success is not a "
                        f"supported type{exc.reason}.",
                        "Annotate on_submit_success with a pydantic model (a typed result) or "
                        "leave it unannotated / `-> dict` (a JSON result).",
                        self.form_class,
                    )
                ]
            ) from exc
        operations = FormOperations(self, input_type, submission_type, adapter)
        names = self.root_names()
        name = self.meta.name
        queries = {
            f"{name}_schema": operations.schema_field(names[f"{name}_schema"]),
            f"{name}_validate": operations.validate_field(names[f"{name}_validate"]),
        }
        mutations = {f"{name}_submit": operations.submit_field(names[f"{name}_submit"])}
        self._built = (converter, queries, mutations)
        return self._built

    def _input_type(self, converter: TypeConverter) -> Any:
        name = f"{self.type_prefix}FormInput"
        converter.claim(name, (self.form_class, "input"))
        graphql_names = self.input_names()
        cls = type(name, (), {})
        annotations: dict[str, Any] = {}
        for field_name, spec in self.specs().items():
            field = self.form_class.base_fields[field_name]
            annotations[field_name] = Optional[spec.annotation]  # noqa: UP045  (NewTypes)
            setattr(
                cls,
                field_name,
                strawberry.field(
                    default=None,
                    name=graphql_names[field_name],
                    description=str(field.help_text) if field.help_text else None,
                ),
            )
        cls.__annotations__ = annotations
        return strawberry.input(
            cls,
            name=name,
            description=f"The fields of the form {self.meta.name!r}. Every field may be "
            "omitted: the form reports missing required fields as field errors.",
        )

    def _submission_type(
        self, converter: TypeConverter, where: str
    ) -> tuple[Any, TypeAdapter[Any] | None]:
        name = f"{self.type_prefix}FormSubmission"
        converter.claim(name, (self.form_class, "submission"))
        annotation = result_annotation(self.form_class)
        adapter: TypeAdapter[Any] | None = None
        result_type: Any = JSON
        if annotation is not None:
            converted = converter.output(annotation, f"{where}.on_submit_success, return type")
            if converted is not None:
                result_type = converted
                if mentions_model(annotation) and not mentions(annotation, has_object_definition):
                    adapter = TypeAdapter(annotation)
        cls = type(name, (), {})
        cls.__annotations__ = {
            "valid": bool,
            "field_errors": list[FormFieldError],
            "non_field_errors": list[FormError],
            "result": Optional[result_type],  # noqa: UP045
        }
        cls.result = strawberry.field(  # type: ignore[attr-defined]
            default=None,
            description="What on_submit_success returned; null when the form is invalid.",
        )
        submission = strawberry.type(
            cls, name=name, description=f"The outcome of submitting the form {self.meta.name!r}."
        )
        return submission, adapter

    def database(self) -> str:
        if self.is_model_form:
            return router.db_for_write(self.form_class._meta.model) or DEFAULT_DB_ALIAS
        return DEFAULT_DB_ALIAS
