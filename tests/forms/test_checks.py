"""Form definitions that cannot be served are check errors with an id and a hint."""

from __future__ import annotations

import importlib.util

import pytest
from django import forms
from django.core import checks
from pydantic import BaseModel

from mizan_gql import client, register
from mizan_gql.checks import check_registry
from mizan_gql.forms import mizanFormMeta, mizanFormMixin
from mizan_gql.forms.problems import SUPPORTED
from mizan_gql.registry import get_registry, use_registry


def label(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def qual(cls) -> str:
    return f"Form {label(cls)}"


@pytest.fixture
def fresh():
    with use_registry() as registry:
        yield registry


def test_the_test_projects_forms_have_no_problems():
    from mizan_gql.forms.contributor import FormContributor

    contributors = [c for c in get_registry().contributors if isinstance(c, FormContributor)]
    assert len(contributors) >= 7
    assert [p for c in contributors for p in c.problems()] == []


def test_file_field_without_uploads(fresh, settings):
    settings.MIZAN = {**getattr(settings, "MIZAN", {}), "UPLOADS": False}

    class CvForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="cv")
        cv = forms.FileField()

    assert check_registry() == [
        checks.Error(
            f"{qual(CvForm)}: the field 'cv' is a FileField, but file uploads are off.",
            hint='Set MIZAN = {"UPLOADS": True} to accept GraphQL multipart requests '
            "(see docs/forms.md), or remove the field.",
            obj=label(CvForm),
            id="mizan_gql.E042",
        )
    ]
    settings.MIZAN = {**settings.MIZAN, "UPLOADS": True}
    assert check_registry() == []


def test_field_without_a_graphql_type(fresh):
    class MeetingForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="meeting")
        when = forms.SplitDateTimeField()

    assert check_registry() == [
        checks.Error(
            f"{qual(MeetingForm)}: the field 'when' is a SplitDateTimeField, which has no "
            "GraphQL input type.",
            hint=f"Use (or subclass) one of: {SUPPORTED}.",
            obj=label(MeetingForm),
            id="mizan_gql.E041",
        )
    ]


@pytest.mark.parametrize("meta", [{"name": "x"}, None])
def test_mizan_must_be_a_meta(fresh, meta):
    class OddForm(mizanFormMixin, forms.Form):
        mizan = meta

    assert check_registry() == [
        checks.Error(
            f"{qual(OddForm)}: `mizan` is {meta!r}, not mizanFormMeta(...).",
            hint='Write `mizan = mizanFormMeta(name="contact", title="Contact us")`.',
            obj=label(OddForm),
            id="mizan_gql.E040",
        )
    ]


def test_invalid_name_and_non_form(fresh):
    class BadName(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="contact us")

    class NotAForm(mizanFormMixin):
        mizan = mizanFormMeta(name="nope")

    assert check_registry() == [
        checks.Error(
            f"{qual(BadName)}: mizanFormMeta(name='contact us') is not a valid form name.",
            hint='Use a Python identifier such as name="contact" or name="sign_up".',
            obj=label(BadName),
            id="mizan_gql.E040",
        ),
        checks.Error(
            f"{qual(NotAForm)} uses mizanFormMixin but is not a Django form.",
            hint="Write `class MyForm(mizanFormMixin, forms.Form)` (or forms.ModelForm).",
            obj=label(NotAForm),
            id="mizan_gql.E040",
        ),
    ]


def test_field_names(fresh):
    class NamesForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="names")
        first_name = forms.CharField()
        firstName = forms.CharField()  # noqa: N815

    assert check_registry() == [
        checks.Error(
            f"{qual(NamesForm)}: the fields 'first_name' and 'firstName' both become the input "
            "field 'firstName'.",
            hint="Rename one of the fields.",
            obj=label(NamesForm),
            id="mizan_gql.E043",
        )
    ]


def test_root_field_names_taken(fresh):
    def dup_submit(request) -> str:
        return ""

    register(dup_submit)

    class First(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="dup")

    class Second(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="dup")

    errors = check_registry()
    assert [e.id for e in errors] == ["mizan_gql.E044"] * 3
    assert errors[0] == checks.Error(
        f"{qual(First)}: the root field 'dupSubmit' is also the server function "
        f"'{dup_submit.__module__}.{dup_submit.__qualname__}'.",
        hint="Rename the form (mizanFormMeta(name=...)) or the function.",
        obj=label(First),
        id="mizan_gql.E044",
    )
    assert errors[2] == checks.Error(
        f"{qual(Second)}: the root fields dupSchema, dupSubmit, dupValidate are also those of "
        f"the form {First.__module__}.{First.__qualname__}.",
        hint="Give each form a unique mizanFormMeta(name=...).",
        obj=label(Second),
        id="mizan_gql.E044",
    )


def test_invalid_auth(fresh):
    class AuthForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="guarded", auth="admin")  # type: ignore[arg-type]

    assert check_registry() == [
        checks.Error(
            f"{qual(AuthForm)}: mizanFormMeta(auth='admin') is not a valid option.",
            hint="Use auth=True, auth='staff', auth='superuser' or a callable taking the request.",
            obj=label(AuthForm),
            id="mizan_gql.E045",
        )
    ]


def test_unresolvable_result_annotation(fresh):
    class LostForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="lost")

        def on_submit_success(self, request) -> Missing:  # type: ignore[name-defined]  # noqa: F821
            return None

    (error,) = check_registry()
    assert (error.id, error.obj) == ("mizan_gql.E046", label(LostForm))
    assert "cannot be resolved" in error.msg and "Missing" in error.msg


def test_unsupported_result_annotation(fresh):
    class ObjectForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="objecty")

        def on_submit_success(self, request) -> object:
            return None

    (error,) = check_registry()
    assert (error.id, error.obj) == ("mizan_gql.E046", label(ObjectForm))
    assert error.hint.startswith("Annotate on_submit_success with a pydantic model")


class ContactForm(BaseModel):
    text: str


def test_type_name_collision(fresh):
    @client
    def take_contact(request, data: ContactForm) -> str:
        return data.text

    class Contact(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="contact")
        text = forms.CharField()

    (error,) = check_registry()
    assert (error.id, error.obj) == ("mizan_gql.E016", label(Contact))
    assert "'ContactFormInput'" in error.msg


@pytest.mark.skipif(importlib.util.find_spec("PIL") is not None, reason="Pillow is installed")
def test_image_field_needs_pillow(fresh, settings):
    settings.MIZAN = {**getattr(settings, "MIZAN", {}), "UPLOADS": True}

    class AvatarForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="avatar")
        picture = forms.ImageField()

    assert check_registry() == [
        checks.Error(
            f"{qual(AvatarForm)}: the field 'picture' is an ImageField, which needs Pillow.",
            hint="Install Pillow (pip install Pillow) or use a FileField.",
            obj=label(AvatarForm),
            id="mizan_gql.E047",
        )
    ]


def test_a_base_class_without_meta_is_not_registered(fresh):
    class Base(mizanFormMixin, forms.Form):
        shared = forms.CharField()

    class Child(Base):
        mizan = mizanFormMeta(name="child")

    assert [c.form_class for c in fresh.contributors] == [Child]
    assert check_registry() == []
