"""Form definitions that cannot become GraphQL operations, reported by ``manage.py check``.

Ids: E040 bad ``mizan`` meta, E041 a field with no GraphQL type, E042 a file field while
uploads are off, E043 field names, E044 root field names taken, E045 bad ``auth``, E046 an
unusable ``on_submit_success`` annotation, E047 ImageField without Pillow.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from typing import Any

from django import forms
from strawberry.utils.str_converters import to_camel_case

from ..conf import mizan_settings
from ..registry.core import get_registry
from ..registry.entry import Problem
from ..registry.validation import AUTH_STRINGS
from .mapping import field_spec
from .meta import MizanFormMeta
from .results import result_annotation

SUPPORTED = (
    "CharField, EmailField, URLField, SlugField, RegexField, UUIDField, "
    "GenericIPAddressField, IntegerField, FloatField, DecimalField, BooleanField, "
    "NullBooleanField, DateField, DateTimeField, TimeField, DurationField, JSONField, "
    "ChoiceField, TypedChoiceField, MultipleChoiceField, ModelChoiceField, "
    "ModelMultipleChoiceField, FileField, ImageField"
)


def form_problems(contributor: Any, earlier_forms: list[Any]) -> list[Problem]:
    """The mistakes of the form of ``contributor`` (a FormContributor); a clash of root
    fields with one of ``earlier_forms`` is reported here, on the later form."""
    form_class = contributor.form_class
    where = f"Form {contributor.qualname}"
    meta = form_class.__dict__.get("mizan")
    if not isinstance(meta, MizanFormMeta):
        return [
            _problem(
                "E040",
                f"{where}: `mizan` is {meta!r}, not mizanFormMeta(...).",
                'Write `mizan = mizanFormMeta(name="contact", title="Contact us")`.',
                form_class,
            )
        ]
    if not issubclass(form_class, forms.BaseForm):
        return [
            _problem(
                "E040",
                f"{where} uses mizanFormMixin but is not a Django form.",
                "Write `class MyForm(mizanFormMixin, forms.Form)` (or forms.ModelForm).",
                form_class,
            )
        ]
    if not isinstance(meta.name, str) or not meta.name.isidentifier():
        return [
            _problem(
                "E040",
                f"{where}: mizanFormMeta(name={meta.name!r}) is not a valid form name.",
                'Use a Python identifier such as name="contact" or name="sign_up".',
                form_class,
            )
        ]
    problems = [*_auth_problems(meta, where, form_class), *_field_problems(contributor, where)]
    problems.extend(_name_problems(contributor, earlier_forms, where))
    problems.extend(_annotation_problems(contributor, where))
    return problems


def _problem(code: str, message: str, hint: str, obj: object) -> Problem:
    return Problem(f"mizan_gql.{code}", message, hint, obj)


def _auth_problems(meta: MizanFormMeta, where: str, obj: object) -> list[Problem]:
    auth = meta.auth
    if auth in (None, True, False) or auth in AUTH_STRINGS or callable(auth):
        return []
    return [
        _problem(
            "E045",
            f"{where}: mizanFormMeta(auth={auth!r}) is not a valid option.",
            "Use auth=True, auth='staff', auth='superuser' or a callable taking the request.",
            obj,
        )
    ]


def _field_problems(contributor: Any, where: str) -> list[Problem]:
    form_class = contributor.form_class
    problems = []
    by_graphql_name: dict[str, list[str]] = defaultdict(list)
    for name, field in form_class.base_fields.items():
        if not name.isidentifier() or name.startswith("_"):
            problems.append(
                _problem(
                    "E043",
                    f"{where}: the field name {name!r} cannot be a GraphQL input field.",
                    "Name form fields with Python identifiers that do not start with '_'.",
                    form_class,
                )
            )
            continue
        by_graphql_name[to_camel_case(name)].append(name)
        spec = field_spec(field)
        kind = type(field).__name__
        if spec is None:
            problems.append(
                _problem(
                    "E041",
                    f"{where}: the field {name!r} is a {kind}, which has no GraphQL input type.",
                    f"Use (or subclass) one of: {SUPPORTED}.",
                    form_class,
                )
            )
        elif spec.is_file and not mizan_settings.UPLOADS:
            problems.append(
                _problem(
                    "E042",
                    f"{where}: the field {name!r} is a {kind}, but file uploads are off.",
                    'Set MIZAN = {"UPLOADS": True} to accept GraphQL multipart requests '
                    "(see docs/forms.md), or remove the field.",
                    form_class,
                )
            )
        if isinstance(field, forms.ImageField) and importlib.util.find_spec("PIL") is None:
            problems.append(
                _problem(
                    "E047",
                    f"{where}: the field {name!r} is an ImageField, which needs Pillow.",
                    "Install Pillow (pip install Pillow) or use a FileField.",
                    form_class,
                )
            )
    for graphql_name, names in by_graphql_name.items():
        if len(names) > 1:
            problems.append(
                _problem(
                    "E043",
                    f"{where}: the fields {' and '.join(map(repr, names))} both become the "
                    f"input field {graphql_name!r}.",
                    "Rename one of the fields.",
                    form_class,
                )
            )
    return problems


def _name_problems(contributor: Any, earlier_forms: list[Any], where: str) -> list[Problem]:
    registry = get_registry()
    ours = set(contributor.root_names().values())
    problems = []
    for entry in registry.functions:
        clash = ours & {to_camel_case(entry.name)}
        if clash:
            problems.append(
                _problem(
                    "E044",
                    f"{where}: the root field {clash.pop()!r} is also the server function "
                    f"{entry.qualname!r}.",
                    "Rename the form (mizanFormMeta(name=...)) or the function.",
                    contributor.form_class,
                )
            )
    for other in earlier_forms:
        if not isinstance(other.form_class.__dict__.get("mizan"), MizanFormMeta):
            continue
        clash = ours & set(other.root_names().values())
        if clash:
            problems.append(
                _problem(
                    "E044",
                    f"{where}: the root fields {', '.join(sorted(clash))} are also those of "
                    f"the form {other.qualname}.",
                    "Give each form a unique mizanFormMeta(name=...).",
                    contributor.form_class,
                )
            )
    return problems


def _annotation_problems(contributor: Any, where: str) -> list[Problem]:
    try:
        result_annotation(contributor.form_class)
    except Exception as exc:  # an unresolvable forward reference
        return [
            _problem(
                "E046",
                f"{where}: the annotations of on_submit_success cannot be resolved ({exc}).",
                "Import every type used in the annotation at module level.",
                contributor.form_class,
            )
        ]
    return []
