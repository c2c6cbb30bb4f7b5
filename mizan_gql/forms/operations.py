"""The resolvers of one form: describe, validate, submit (form work runs in a worker thread)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any, Optional, Protocol

import strawberry
from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from pydantic import TypeAdapter
from strawberry.types.field import StrawberryField

from ..auth import permission_classes_for
from ..request import request_from_info
from .binding import add_errors, bind_form, form_errors
from .describe import describe_form
from .mapping import FieldSpec
from .meta import MizanFormMeta
from .results import result_annotation
from .types import FormSchema, FormValidation

__all__ = ["OPERATIONS", "FormDefinition", "FormOperations"]

# The root fields of a form: <name>Schema, <name>Validate, <name>Submit.
OPERATIONS = ("schema", "validate", "submit")


class FormDefinition(Protocol):
    """What the operations need to know of a form (its contributor)."""

    form_class: Any

    @property
    def qualname(self) -> str: ...

    @property
    def is_model_form(self) -> bool: ...

    @property
    def meta(self) -> MizanFormMeta: ...

    def specs(self) -> dict[str, FieldSpec]: ...

    def input_names(self) -> dict[str, str]: ...

    def database(self) -> str: ...


class FormOperations:
    """The three root fields of one form; the ORM is only touched in worker threads."""

    def __init__(
        self,
        contributor: FormDefinition,
        input_type: Any,
        submission_type: Any,
        adapter: TypeAdapter[Any] | None,
    ) -> None:
        self.contributor = contributor
        self.form_class = contributor.form_class
        self.meta = contributor.meta
        self.input_type = input_type
        self.submission_type = submission_type
        self.adapter = adapter
        self.specs = contributor.specs()
        self.names = contributor.input_names()
        self.json_result = result_annotation(self.form_class) is None
        self.async_success = inspect.iscoroutinefunction(self.form_class.on_submit_success)

    # -- fields -----------------------------------------------------------------------
    def _field(
        self,
        resolver: Callable[..., Any],
        name: str,
        arguments: list[inspect.Parameter],
        returns: Any,
        description: str,
    ) -> StrawberryField:
        parameters = [
            inspect.Parameter("info", inspect.Parameter.KEYWORD_ONLY, annotation=strawberry.Info),
            *arguments,
        ]
        resolver.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            parameters, return_annotation=returns
        )
        resolver.__annotations__ = {p.name: p.annotation for p in parameters}
        resolver.__annotations__["return"] = returns
        resolver.__name__ = resolver.__qualname__ = name
        return strawberry.field(  # type: ignore[no-any-return]
            resolver=resolver,
            name=name,
            description=description,
            permission_classes=permission_classes_for(self.meta.auth),
        )

    def _arguments(self) -> list[inspect.Parameter]:
        arguments = []
        if self.input_type is not None:
            arguments.append(
                inspect.Parameter(
                    "data", inspect.Parameter.KEYWORD_ONLY, annotation=self.input_type
                )
            )
        if self.contributor.is_model_form:
            arguments.append(
                inspect.Parameter(
                    "id",
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Optional[strawberry.ID],  # noqa: UP045
                    default=None,
                )
            )
        return arguments

    def schema_field(self, name: str) -> StrawberryField:
        async def resolve(info: Any) -> FormSchema:
            request = request_from_info(info)
            return await sync_to_async(self.describe, thread_sensitive=True)(request)

        return self._field(resolve, name, [], FormSchema, f"Describe the form {self.meta.name!r}.")

    def validate_field(self, name: str) -> StrawberryField:
        async def resolve(info: Any, data: Any = None, id: str | None = None) -> FormValidation:  # noqa: A002
            request = request_from_info(info)
            return await sync_to_async(self.validate, thread_sensitive=True)(request, data, id)

        return self._field(
            resolve,
            name,
            self._arguments(),
            FormValidation,
            f"Validate data for the form {self.meta.name!r}; nothing is saved or sent.",
        )

    def submit_field(self, name: str) -> StrawberryField:
        async def resolve(info: Any, data: Any = None, id: str | None = None) -> Any:  # noqa: A002
            request = request_from_info(info)
            return await self.submit(request, data, id)

        return self._field(
            resolve,
            name,
            self._arguments(),
            self.submission_type,
            f"Validate and submit the form {self.meta.name!r}.",
        )

    # -- work -------------------------------------------------------------------------
    def describe(self, request: Any) -> FormSchema:
        form = self.form_class(**self.form_class.get_form_kwargs(request))
        form.request = request
        return describe_form(form, self.meta, self.specs, self.names)

    def validate(self, request: Any, data: Any, pk: str | None) -> FormValidation:
        database = self.contributor.database()
        with transaction.atomic(using=database):
            try:
                form = bind_form(self.form_class, request, data, self.specs, pk)
                valid = form.is_valid()
                field_errors, non_field = form_errors(form, self.names)
            finally:
                # Validation never has side effects, even if a clean() method writes.
                transaction.set_rollback(True, using=database)
        return FormValidation(valid=valid, field_errors=field_errors, non_field_errors=non_field)

    def _submit_sync(self, request: Any, data: Any, pk: str | None) -> tuple[Any, bool, Any]:
        database = self.contributor.database()
        with transaction.atomic(using=database):
            form = bind_form(self.form_class, request, data, self.specs, pk)
            if not form.is_valid():
                return form, False, None
            if self.async_success:
                return form, True, None
            try:
                return form, True, form.on_submit_success(request)
            except ValidationError as exc:
                transaction.set_rollback(True, using=database)
                add_errors(form, exc)
                return form, False, None

    async def submit(self, request: Any, data: Any, pk: str | None) -> Any:
        form, valid, result = await sync_to_async(self._submit_sync, thread_sensitive=True)(
            request, data, pk
        )
        if valid and self.async_success:
            try:
                result = await form.on_submit_success(request)
            except ValidationError as exc:
                add_errors(form, exc)
                valid, result = False, None
        field_errors, non_field = form_errors(form, self.names)
        return self.submission_type(
            valid=valid,
            field_errors=field_errors,
            non_field_errors=non_field,
            result=self._result(result) if valid else None,
        )

    def _result(self, value: Any) -> Any:
        if value is None:
            return None
        if self.adapter is not None:
            return self.adapter.validate_python(value)
        if self.json_result:
            try:
                return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"{self.contributor.qualname}.on_submit_success returned "
                    f"{type(value).__name__}, which is not JSON-serialisable ({exc}). Return "
                    "JSON data, or annotate the method with a pydantic model."
                ) from exc
        return value
