"""The ``<name>Schema`` query: a form described so a client can render and pre-validate it."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core import validators as dj
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.db.models.query import QuerySet

from .mapping import FieldSpec, widget_kind
from .types import FormChoice, FormFieldSchema, FormSchema, FormValidator

__all__ = ["describe_form", "js_pattern"]


def describe_form(
    form: forms.BaseForm,
    meta: Any,
    specs: dict[str, FieldSpec],
    names: dict[str, str],
) -> FormSchema:
    """Describe the fields of ``form`` (an unbound instance) that the input type carries."""
    fields = [
        _describe_field(form, name, field, specs[name], names[name])
        for name, field in form.fields.items()
        if name in specs
    ]
    return FormSchema(
        name=meta.name,
        title=str(meta.display_title),
        description=meta.description,
        multipart=any(spec.is_file for spec in specs.values()),
        fields=fields,
    )


def _describe_field(
    form: forms.BaseForm, name: str, field: forms.Field, spec: FieldSpec, graphql_name: str
) -> FormFieldSchema:
    return FormFieldSchema(
        name=graphql_name,
        label=str(field.label) if field.label is not None else _label(name),
        type=spec.graphql,
        json_type=spec.json_type,
        format=spec.format,
        widget=widget_kind(field.widget),
        required=field.required,
        disabled=field.disabled,
        multiple=spec.many,
        help_text=str(field.help_text or ""),
        initial=to_json(form.get_initial_for_field(field, name)),
        choices=_choices(field),
        min_length=getattr(field, "min_length", None),
        max_length=getattr(field, "max_length", None),
        min_value=to_json(getattr(field, "min_value", None)),
        max_value=to_json(getattr(field, "max_value", None)),
        step=to_json(getattr(field, "step_size", None)),
        max_digits=getattr(field, "max_digits", None),
        decimal_places=getattr(field, "decimal_places", None),
        validators=[v for v in map(_validator, field.validators) if v is not None],
    )


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _choices(field: forms.Field) -> list[FormChoice] | None:
    if not isinstance(field, (forms.ChoiceField, forms.MultipleChoiceField)):
        return None
    result: list[FormChoice] = []
    choices: Any = field.choices
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            for sub_value, sub_label in label:
                result.append(
                    FormChoice(value=_value(sub_value), label=str(sub_label), group=str(value))
                )
        else:
            result.append(FormChoice(value=_value(value), label=str(label)))
    return result


def _value(value: Any) -> str:
    value = getattr(value, "value", value)  # ModelChoiceIteratorValue
    return "" if value is None else str(value)


def _validator(validator: Any) -> FormValidator | None:
    message = getattr(validator, "message", None)
    message = str(message) if isinstance(message, str) or _is_lazy(message) else None
    if isinstance(validator, dj.URLValidator):
        return FormValidator(kind="url", message=message, schemes=list(validator.schemes))
    if isinstance(validator, dj.EmailValidator):
        return FormValidator(kind="email", message=message)
    if isinstance(validator, dj.RegexValidator):
        pattern, flags = js_pattern(re.compile(validator.regex))
        return FormValidator(
            kind="regex",
            message=message,
            pattern=pattern,
            flags=flags,
            inverse_match=bool(validator.inverse_match),
        )
    if isinstance(validator, dj.DecimalValidator):
        return FormValidator(
            kind="decimal",
            max_digits=validator.max_digits,
            decimal_places=validator.decimal_places,
        )
    if isinstance(validator, dj.FileExtensionValidator) and validator.allowed_extensions:
        return FormValidator(
            kind="file_extension", message=message, extensions=list(validator.allowed_extensions)
        )
    return None


def _is_lazy(value: Any) -> bool:
    from django.utils.functional import Promise

    return isinstance(value, Promise)


_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))


def js_pattern(regex: re.Pattern[str]) -> tuple[str, str]:
    """Python's regex syntax -> JavaScript's, for the constructs Django's validators use."""
    pattern = regex.pattern
    pattern = pattern.replace(r"\A", "^").replace(r"\Z", "$")
    pattern = re.sub(r"\(\?P<(\w+)>", r"(?<\1>", pattern)
    pattern = re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", pattern)
    flags = "".join(letter for flag, letter in _FLAGS if regex.flags & flag)
    return pattern, flags


def to_json(value: Any) -> Any:
    """A JSON-safe copy of an initial or limit value (models -> pk, dates -> ISO strings)."""
    if value is None:
        return None
    if callable(value):
        value = value()
    if isinstance(value, Model):
        return to_json(value.pk)
    if isinstance(value, QuerySet):
        value = list(value)
    if isinstance(value, (list, tuple, set)):
        return [to_json(v.pk if isinstance(v, Model) else v) for v in value]
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except (TypeError, ValueError):
        return str(value)
