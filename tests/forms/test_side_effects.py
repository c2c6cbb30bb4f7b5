"""Validation has no side effects; submit's failures are clean."""

from __future__ import annotations

import pytest
from django import forms

from mizan_gql.forms import mizanFormMeta, mizanFormMixin
from mizan_gql.registry import use_registry
from tests.conftest import codes_of
from tests.forms_app.models import Tag

from .conftest import submit, validate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def careless_forms():
    with use_registry():

        class CarelessForm(mizanFormMixin, forms.Form):
            """A clean() that writes (a bug): validation must still leave no trace."""

            mizan = mizanFormMeta(name="careless")
            name = forms.CharField()

            def clean(self):
                Tag.objects.create(name=self.cleaned_data.get("name", "?"))
                return super().clean()

            def on_submit_success(self, request):
                return {"tags": Tag.objects.count()}

        class OpaqueForm(mizanFormMixin, forms.Form):
            mizan = mizanFormMeta(name="opaque")

            def on_submit_success(self, request):
                return object()  # not JSON: a bug in the project, not the client's fault

        yield


async def test_validate_rolls_back_writes(gql, careless_forms):
    assert (await validate(gql, "careless", {"name": "a"}))["valid"] is True
    assert await Tag.objects.acount() == 0
    result = await submit(gql, "careless", {"name": "a"})
    assert result["result"] == {"tags": 1}
    assert await Tag.objects.acount() == 1


async def test_a_result_that_is_not_json_is_an_internal_error(gql, careless_forms):
    # A form without fields takes no `data` argument (GraphQL has no empty input objects).
    body = await gql.execute("mutation { opaqueSubmit { valid result } }")
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert body["errors"][0]["message"] == "Internal server error"
    assert body["data"] is None
