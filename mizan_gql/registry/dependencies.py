"""``depends_on=``: the Django models a context function reads, read once at registration.

::

    @client(context="user", cache="public", depends_on={
        Profile: {"user_id": "user"},       # parameter <- field of the changed row
        "auth.User": {"user_id": "id"},     # a model as a class or an "app_label.Model" label
        Avatar: lambda avatar: {"user_id": avatar.profile.user_id},   # computed
        Tag: None,                          # any change: every entry of the context
    })
    def user_profile(request, user_id: int) -> Profile: ...

``depends_on=[Tag, "shop.Category"]`` is the short form of ``{Tag: None, ...}``. Mistakes
are recorded as problems of the function (``mizan_gql.E031`` - ``E034``), which
``manage.py check`` reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, FieldDoesNotExist
from django.db.models import Model

from .entry import ClientFunction, ModelDependency, Problem

__all__ = ["DependsOn", "ModelDependency", "read_dependencies"]

ModelRef = type[Model] | str
# None: every entry of the context; {param: field}; or a callable of the changed row
# returning {param: value}, a list of them, or None (every entry).
FieldMapping = Mapping[str, str] | Callable[[Any], Any] | None
DependsOn = Mapping[ModelRef, FieldMapping] | Iterable[ModelRef]

SHAPE_HINT = (
    'Write depends_on={Model: {"param": "field"}}, {Model: callable} or {Model: None} '
    '(every entry), or depends_on=[Model, "app_label.Model"].'
)


def read_dependencies(entry: ClientFunction) -> None:
    """Fill ``entry.dependencies`` from ``entry.options.depends_on``; record mistakes."""
    raw = entry.options.depends_on
    if raw is None:
        return
    where = f"Server function {entry.qualname!r}"
    if entry.options.context is None:
        entry.problems.append(
            _problem("E034", f"{where} declares depends_on= but no context=.", entry)
        )
        return
    if isinstance(raw, Mapping):
        items = list(raw.items())
    elif isinstance(raw, Iterable) and not isinstance(raw, str | bytes):
        items = [(ref, None) for ref in raw]
    else:
        entry.problems.append(
            _problem("E034", f"{where}: depends_on={raw!r} is not a mapping or a list.", entry)
        )
        return
    params = [p.name for p in entry.params]
    for ref, spec in items:
        model = _model(ref, where, entry)
        if model is not None:
            dependency = _dependency(model, spec, params, where, entry)
            if dependency is not None:
                entry.dependencies.append(dependency)


def _problem(id: str, message: str, entry: ClientFunction, hint: str = SHAPE_HINT) -> Problem:
    return Problem(f"mizan_gql.{id}", message, hint, entry.func)


def _model(ref: Any, where: str, entry: ClientFunction) -> type[Model] | None:
    if isinstance(ref, type) and issubclass(ref, Model) and not ref._meta.abstract:
        return ref
    if isinstance(ref, str):
        try:
            return apps.get_model(ref, require_ready=False)
        except (LookupError, ValueError):
            reason = "which is not an installed model"
        except AppRegistryNotReady:
            reason = "registered before Django loaded the apps"
    else:
        reason = "which is not a concrete Django model"
    entry.problems.append(
        _problem(
            "E031",
            f"{where}: depends_on names {ref!r}, {reason}.",
            entry,
            "Give the model class or its 'app_label.ModelName' label (e.g. 'auth.User'), "
            "and register the function in a mizan_clients module.",
        )
    )
    return None


def _dependency(
    model: type[Model], spec: Any, params: list[str], where: str, entry: ClientFunction
) -> ModelDependency | None:
    label = model._meta.label
    if spec is None:
        return ModelDependency(model)
    if callable(spec) and not isinstance(spec, Mapping):
        return ModelDependency(model, compute=spec)
    if not isinstance(spec, Mapping) or not spec:
        entry.problems.append(
            _problem(
                "E034",
                f"{where}: depends_on[{label}] is {spec!r}; give a mapping of parameters to "
                "fields, a callable or None.",
                entry,
            )
        )
        return None
    fields: list[tuple[str, str]] = []
    ok = True
    for param, field_name in spec.items():
        if param not in params:
            known = ", ".join(params) or "none"
            entry.problems.append(
                _problem(
                    "E032",
                    f"{where}: depends_on[{label}] maps the parameter {param!r}, which the "
                    f"function does not take (its parameters: {known}).",
                    entry,
                    "Map parameters of the function to fields of the model: "
                    f'{{"{params[0] if params else "param"}": "field"}}.',
                )
            )
            ok = False
            continue
        attname = _attname(model, field_name)
        if attname is None:
            columns = ", ".join(f.name for f in model._meta.concrete_fields if not f.many_to_many)
            entry.problems.append(
                _problem(
                    "E033",
                    f"{where}: depends_on[{label}] reads the field {field_name!r}, which "
                    f"{label} does not have as a column.",
                    entry,
                    f"Use one of the fields of {label}: {columns}; or a callable for "
                    "values found through relations.",
                )
            )
            ok = False
            continue
        fields.append((param, attname))
    return ModelDependency(model, fields=tuple(fields)) if ok else None


def _attname(model: type[Model], name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "concrete", False) or field.many_to_many:
        return None
    return str(field.attname)  # type: ignore[union-attr]
