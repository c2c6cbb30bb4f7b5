"""GraphQL input -> a bound Django form; the form's errors -> structured GraphQL errors."""

from __future__ import annotations

from typing import Any

import strawberry
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.datastructures import MultiValueDict

from ..exceptions import ClientError
from .mapping import FieldSpec
from .types import FormError, FormFieldError

__all__ = ["bind_form", "form_errors", "add_errors"]


def bind_form(
    form_class: Any,
    request: Any,
    data: Any,
    specs: dict[str, FieldSpec],
    pk: str | None = None,
) -> Any:
    """Build the bound form the way a Django view would from a POST.

    Values go through the widgets' ``value_from_datadict`` like posted ones, so Django's
    own parsing and messages apply. ``pk`` selects a ModelForm instance to edit, after
    ``can_edit`` allowed it.
    """
    values: MultiValueDict[str, Any] = MultiValueDict()
    files: MultiValueDict[str, Any] = MultiValueDict()
    for name, spec in specs.items():
        value = getattr(data, name, None) if data is not None else None
        if value is None or value is strawberry.UNSET:
            continue
        target = files if spec.is_file else values
        target.setlist(name, list(value) if spec.many else [value])
    kwargs = dict(form_class.get_form_kwargs(request))
    if pk is not None:
        kwargs["instance"] = _instance(form_class, request, pk)
    form = form_class(data=values, files=files, **kwargs)
    form.request = request
    return form


def _instance(form_class: Any, request: Any, pk: str) -> Any:
    if not issubclass(form_class, forms.BaseModelForm):
        raise ClientError("This form does not edit objects; leave out `id`.")
    instance = form_class.get_instance(request, pk)
    if instance is None:
        raise ClientError(f"No object with id {pk!r}.", code="NOT_FOUND")
    if not form_class.can_edit(request, instance):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise ClientError("Authentication required", code="UNAUTHENTICATED")
        raise ClientError("You may not edit this object.", code="FORBIDDEN")
    return instance


def form_errors(
    form: forms.BaseForm, names: dict[str, str]
) -> tuple[list[FormFieldError], list[FormError]]:
    """``form.errors`` as (field errors, non-field errors), fields named as in GraphQL."""
    field_errors: list[FormFieldError] = []
    non_field: list[FormError] = []
    for name, errors in form.errors.as_data().items():
        pairs = [(str(m), error.code or "invalid") for error in errors for m in error.messages]
        if name == NON_FIELD_ERRORS:
            non_field.extend(FormError(message=m, code=c) for m, c in pairs)
        else:
            field_errors.append(
                FormFieldError(
                    field=names.get(name, name),
                    messages=[m for m, _ in pairs],
                    codes=[c for _, c in pairs],
                )
            )
    return field_errors, non_field


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Record a ValidationError raised by ``on_submit_success`` on the form."""
    try:
        form.add_error(None, error)
    except (ValueError, TypeError):  # names a field the form does not have
        form.add_error(None, ValidationError(error.messages))
