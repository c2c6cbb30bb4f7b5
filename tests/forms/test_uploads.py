"""File fields through the GraphQL multipart request spec, and its CSRF rule."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import FileExtensionValidator

from mizan_gql.forms import mizanFormMeta, mizanFormMixin
from mizan_gql.registry import use_registry
from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

CALLS: list[str] = []


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented recipe for a field taking several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def define_upload_form():
    class UploadForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="upload", title="Upload")
        title = forms.CharField()
        attachment = forms.FileField(validators=[FileExtensionValidator(["txt", "csv"])])
        extras = MultipleFileField(required=False)

        def on_submit_success(self, request):
            CALLS.append(self.cleaned_data["title"])
            attachment = self.cleaned_data["attachment"]
            return {
                "name": attachment.name,
                "content": attachment.read().decode(),
                "extras": [f.name for f in self.cleaned_data["extras"]],
            }

    return UploadForm


@pytest.fixture
def uploads(settings):
    CALLS.clear()
    settings.MIZAN = {**getattr(settings, "MIZAN", {}), "UPLOADS": True}
    with use_registry():
        define_upload_form()
        yield CALLS


SUBMIT = """mutation($data: UploadFormInput!) { uploadSubmit(data: $data) {
  valid fieldErrors { field codes } result } }"""
VALIDATE = """query($data: UploadFormInput!) { uploadValidate(data: $data) {
  valid fieldErrors { field codes } } }"""


def multipart(query, data, files, file_map):
    body = {
        "operations": json.dumps({"query": query, "variables": {"data": data}}),
        "map": json.dumps(file_map),
    }
    body.update(files)
    return body


def upload_body(query=SUBMIT, name="notes.txt", content=b"hello"):
    return multipart(
        query,
        {"title": "Report", "attachment": None, "extras": [None, None]},
        {
            "0": SimpleUploadedFile(name, content),
            "1": SimpleUploadedFile("a.csv", b"1,2"),
            "2": SimpleUploadedFile("b.csv", b"3,4"),
        },
        {
            "0": ["variables.data.attachment"],
            "1": ["variables.data.extras.0"],
            "2": ["variables.data.extras.1"],
        },
    )


async def post(gql, body, **headers):
    response = await gql.raw("post", "/graphql", body, headers=headers)
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    "header", ["Apollo-Require-Preflight", "X-Apollo-Operation-Name", "X-CSRFToken"]
)
async def test_upload_round_trip(gql, uploads, header):
    status, body = await post(gql, upload_body(), **{header: "1"})
    assert status == 200
    assert body == {
        "data": {
            "uploadSubmit": {
                "valid": True,
                "fieldErrors": [],
                "result": {"name": "notes.txt", "content": "hello", "extras": ["a.csv", "b.csv"]},
            }
        }
    }
    assert uploads == ["Report"]


async def test_file_validators_give_field_errors(gql, uploads):
    status, body = await post(
        gql, upload_body(name="evil.exe"), **{"Apollo-Require-Preflight": "true"}
    )
    assert body["data"]["uploadSubmit"]["fieldErrors"] == [
        {"field": "attachment", "codes": ["invalid_extension"]}
    ]
    status, body = await post(gql, upload_body(content=b""), **{"Apollo-Require-Preflight": "true"})
    assert body["data"]["uploadSubmit"]["fieldErrors"] == [
        {"field": "attachment", "codes": ["empty"]}
    ]
    assert uploads == []


async def test_mutation_without_preflight_header_is_refused(gql, uploads):
    status, body = await post(gql, upload_body())
    assert status == 403  # as Django answers any CSRF failure
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["CSRF_FAILED"]
    status, body = await post(gql, upload_body(), **{"Apollo-Require-Preflight": ""})
    assert codes_of(body) == ["CSRF_FAILED"]
    assert uploads == []


async def test_queries_need_no_preflight_header(gql, uploads):
    status, body = await post(gql, upload_body(VALIDATE))
    assert body == {"data": {"uploadValidate": {"valid": True, "fieldErrors": []}}}
    assert uploads == []


async def test_cookie_authenticated_uploads_need_djangos_csrf_token(csrf_gql, users, uploads):
    from django.middleware.csrf import _get_new_csrf_string

    await csrf_gql.force_login(users["alice"])
    token = _get_new_csrf_string()
    csrf_gql.client.cookies["csrftoken"] = token
    status, body = await post(csrf_gql, upload_body(), **{"Apollo-Require-Preflight": "1"})
    assert codes_of(body) == ["CSRF_FAILED"]
    assert uploads == []
    status, body = await post(csrf_gql, upload_body(), **{"X-CSRFToken": token})
    assert body["data"]["uploadSubmit"]["valid"] is True
    assert uploads == ["Report"]


async def test_a_string_is_not_a_file(gql, uploads):
    body = await gql.execute(
        SUBMIT, {"data": {"title": "Report", "attachment": "/etc/passwd", "extras": ["x"]}}
    )
    assert body["data"]["uploadSubmit"]["fieldErrors"] == [
        {"field": "attachment", "codes": ["invalid"]},
        {"field": "extras", "codes": ["invalid"]},
    ]
    assert uploads == []


async def test_schema_describes_file_fields(gql, uploads):
    body = await gql.execute(
        "{ uploadSchema { multipart fields { name type jsonType format widget multiple "
        "validators { kind extensions } } } }"
    )
    schema = body["data"]["uploadSchema"]
    assert schema["multipart"] is True
    assert schema["fields"][1:] == [
        {
            "name": "attachment",
            "type": "Upload",
            "jsonType": "string",
            "format": "binary",
            "widget": "file",
            "multiple": False,
            "validators": [{"kind": "file_extension", "extensions": ["txt", "csv"]}],
        },
        {
            "name": "extras",
            "type": "[Upload!]",
            "jsonType": "array",
            "format": "binary",
            "widget": "file",
            "multiple": True,
            "validators": [],
        },
    ]


@pytest.mark.parametrize(
    ("operations", "file_map"),
    [
        ('{"query": "{ __typename }"', "{}"),  # not JSON
        (json.dumps({"query": SUBMIT, "variables": {"data": {}}}), "[1]"),
        (json.dumps({"query": SUBMIT, "variables": {"data": {}}}), '{"0": ["variables.data.x.y"]}'),
        (json.dumps({"query": SUBMIT, "variables": None}), '{"0": ["variables.data"]}'),
        (json.dumps({"query": SUBMIT, "variables": {"data": []}}), '{"0": ["variables.data.5"]}'),
        (json.dumps({"query": SUBMIT, "variables": {"data": {}}}), '{"9": ["variables.data"]}'),
        (json.dumps({"query": SUBMIT, "variables": {"data": {}}}), '{"0": "variables.data"}'),
    ],
)
async def test_malformed_multipart_requests_are_400(gql, uploads, operations, file_map):
    body = {"operations": operations, "map": file_map, "0": SimpleUploadedFile("a.txt", b"a")}
    status, payload = await post(gql, body, **{"Apollo-Require-Preflight": "1"})
    assert status == 400, payload
    assert payload["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert uploads == []


async def test_more_files_than_django_allows_is_400(gql, uploads, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    status, body = await post(gql, upload_body(), **{"Apollo-Require-Preflight": "1"})
    assert status == 400, body
    assert codes_of(body) == ["BAD_REQUEST"]
    assert "DATA_UPLOAD_MAX_NUMBER_FILES" in body["errors"][0]["message"]
    assert uploads == []


async def test_multipart_is_refused_when_uploads_are_off(gql):
    status, body = await post(gql, upload_body(), **{"Apollo-Require-Preflight": "1"})
    assert status == 415
    assert codes_of(body) == ["UNSUPPORTED_MEDIA_TYPE"]
