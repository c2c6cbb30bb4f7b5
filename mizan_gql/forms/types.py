"""GraphQL object types shared by every form's schema, validate and submit fields."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

__all__ = [
    "SHARED_TYPES",
    "FormChoice",
    "FormError",
    "FormFieldError",
    "FormFieldSchema",
    "FormSchema",
    "FormValidation",
    "FormValidator",
]


@strawberry.type(description="One allowed value of a choice field.")
class FormChoice:
    value: str
    label: str
    group: str | None = strawberry.field(
        default=None, description="The option group (optgroup) label, if the choices are grouped."
    )


@strawberry.type(
    description="A validation rule a client can mirror. `kind` is one of: email, url, regex, "
    "decimal, file_extension."
)
class FormValidator:
    kind: str
    message: str | None = None
    pattern: str | None = strawberry.field(
        default=None, description="The regular expression, in JavaScript syntax."
    )
    flags: str | None = strawberry.field(default=None, description="JavaScript RegExp flags.")
    inverse_match: bool = False
    schemes: list[str] | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    extensions: list[str] | None = None


@strawberry.type(description="One field of a form, in declaration order.")
class FormFieldSchema:
    name: str = strawberry.field(description="The field's name in the form's input type.")
    label: str
    type: str = strawberry.field(description="The GraphQL type of the input field, e.g. `Int`.")
    json_type: str = strawberry.field(
        description="The JSON Schema type: string, integer, number, boolean, array or object."
    )
    format: str | None = strawberry.field(
        description="A JSON Schema format: email, uri, date, date-time, time, decimal, uuid, "
        "duration, ip, binary (a file)."
    )
    widget: str = strawberry.field(
        description="The kind of control: text, textarea, email, url, number, password, "
        "hidden, checkbox, select, select-multiple, radio, checkbox-multiple, date, "
        "datetime, time, file, ..."
    )
    required: bool
    disabled: bool
    multiple: bool = strawberry.field(description="True when the value is a list.")
    help_text: str
    initial: JSON | None
    choices: list[FormChoice] | None
    min_length: int | None
    max_length: int | None
    min_value: JSON | None
    max_value: JSON | None
    step: JSON | None
    max_digits: int | None
    decimal_places: int | None
    validators: list[FormValidator]


@strawberry.type(description="What a client needs to render and pre-validate a form.")
class FormSchema:
    name: str
    title: str
    description: str | None
    multipart: bool = strawberry.field(
        description="True when the form takes files: submit it as a GraphQL multipart request."
    )
    fields: list[FormFieldSchema]


@strawberry.type(description="The errors of one form field.")
class FormFieldError:
    field: str = strawberry.field(description="The field's name in the form's input type.")
    messages: list[str]
    codes: list[str] = strawberry.field(description="Django's error code of each message.")


@strawberry.type(description="An error of the whole form (Django's non-field errors).")
class FormError:
    message: str
    code: str


@strawberry.type(description="The outcome of validating a form (nothing is saved).")
class FormValidation:
    valid: bool
    field_errors: list[FormFieldError]
    non_field_errors: list[FormError]


SHARED_TYPES = (
    FormChoice,
    FormValidator,
    FormFieldSchema,
    FormSchema,
    FormFieldError,
    FormError,
    FormValidation,
)
