"""Django form fields -> GraphQL input types, JSON types and widget kinds.

The most specific class is tested first (``ModelChoiceField`` is a ``ChoiceField``,
``DecimalField`` and ``FloatField`` are ``IntegerField``s, ``JSONField`` is a
``CharField``). A field that matches nothing cannot be typed and is a check error.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from typing import Any

import strawberry
from django import forms
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

__all__ = ["FieldSpec", "field_spec", "widget_kind"]


@dataclass(frozen=True)
class FieldSpec:
    """How one form field is typed in GraphQL and described to clients."""

    graphql: str  # the input field's GraphQL type, e.g. "[ID!]"
    annotation: Any  # the Python annotation Strawberry turns into that type
    json_type: str
    format: str | None = None
    many: bool = False
    is_file: bool = False


def _one(graphql: str, annotation: Any, json_type: str, fmt: str | None = None) -> FieldSpec:
    return FieldSpec(graphql, annotation, json_type, fmt)


def _many(item_graphql: str, item: Any, fmt: str | None = None) -> FieldSpec:
    return FieldSpec(f"[{item_graphql}!]", list[item], "array", fmt, many=True)  # type: ignore[valid-type]


def field_spec(field: forms.Field) -> FieldSpec | None:
    """The GraphQL typing of ``field``, or ``None`` when it cannot be typed."""
    if isinstance(field, forms.FileField):
        if getattr(field.widget, "allow_multiple_selected", False):
            return FieldSpec("[Upload!]", list[Upload], "array", "binary", many=True, is_file=True)
        return FieldSpec("Upload", Upload, "string", "binary", is_file=True)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return _many("ID", strawberry.ID)
    if isinstance(field, forms.ModelChoiceField):
        return _one("ID", strawberry.ID, "string")
    if isinstance(field, forms.MultipleChoiceField):
        return _many("String", str)
    if isinstance(field, forms.ChoiceField):
        return _one("String", str, "string")
    if isinstance(field, forms.BooleanField):  # NullBooleanField too
        return _one("Boolean", bool, "boolean")
    if isinstance(field, forms.DecimalField):
        return _one("Decimal", decimal.Decimal, "string", "decimal")
    if isinstance(field, forms.FloatField):
        return _one("Float", float, "number")
    if isinstance(field, forms.IntegerField):
        return _one("Int", int, "integer")
    if isinstance(field, forms.DateTimeField):
        return _one("DateTime", datetime.datetime, "string", "date-time")
    if isinstance(field, forms.DateField):
        return _one("Date", datetime.date, "string", "date")
    if isinstance(field, forms.TimeField):
        return _one("Time", datetime.time, "string", "time")
    if isinstance(field, forms.DurationField):
        return _one("String", str, "string", "duration")
    if isinstance(field, forms.JSONField):
        return _one("JSON", JSON, "object")
    if isinstance(field, forms.CharField):
        return _one("String", str, "string", _string_format(field))
    return None


def _string_format(field: forms.CharField) -> str | None:
    if isinstance(field, forms.EmailField):
        return "email"
    if isinstance(field, forms.URLField):
        return "uri"
    if isinstance(field, forms.UUIDField):
        return "uuid"
    if isinstance(field, forms.GenericIPAddressField):
        return "ip"
    return None


# (widget class, kind), most specific first.
_WIDGETS: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.CheckboxSelectMultiple, "checkbox-multiple"),
    (forms.RadioSelect, "radio"),
    (forms.NullBooleanSelect, "select"),
    (forms.SelectMultiple, "select-multiple"),
    (forms.Select, "select"),
    (forms.MultipleHiddenInput, "hidden"),
    (forms.HiddenInput, "hidden"),
    (forms.FileInput, "file"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Textarea, "textarea"),
    (forms.DateTimeInput, "datetime"),
    (forms.DateInput, "date"),
    (forms.TimeInput, "time"),
    (forms.SelectDateWidget, "date"),
)


def widget_kind(widget: forms.Widget) -> str:
    """A short, framework-neutral name for the control the form would render."""
    for cls, kind in _WIDGETS:
        if isinstance(widget, cls):
            return kind
    if widget.is_hidden:
        return "hidden"
    input_type = getattr(widget, "input_type", None)
    return str(input_type) if input_type else "text"
