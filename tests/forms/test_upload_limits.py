"""Multipart requests are bounded (MAX_UPLOAD_SIZE for the files, Django's
DATA_UPLOAD_MAX_MEMORY_SIZE for the rest) and a cross-origin one needs the preflight header,
queries included, before its body is parsed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from mizan_gql.conf import DEFAULTS
from mizan_gql.registry import use_registry
from tests.conftest import codes_of

from .test_uploads import CALLS, SUBMIT, VALIDATE, define_upload_form, multipart, post, upload_body

pytestmark = pytest.mark.django_db(transaction=True)

PREFLIGHT = {"Apollo-Require-Preflight": "1"}
VALID = {"data": {"uploadValidate": {"valid": True, "fieldErrors": []}}}


@pytest.fixture
def uploads(settings):
    """The upload form of test_uploads.py, uploads on; the titles it was submitted with."""
    CALLS.clear()
    settings.MIZAN = {**getattr(settings, "MIZAN", {}), "UPLOADS": True}
    with use_registry():
        define_upload_form()
        yield CALLS


# Files the upload handlers of Django were asked to receive (see ``recorded``).
RECEIVED: list[str] = []


class RecordingHandler(FileUploadHandler):
    """Notes each file Django's parser starts to receive, then lets the next handler keep it."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        RECEIVED.append(file_name)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def recorded(settings):
    RECEIVED.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.RecordingHandler",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    yield RECEIVED
    RECEIVED.clear()


def sized_body(query: str, *sizes: int) -> dict:
    """An upload whose attachment and extras have ``sizes`` bytes (letters, a .txt/.csv)."""
    attachment, *extras = sizes
    files = {"0": SimpleUploadedFile("notes.txt", b"a" * attachment)}
    file_map = {"0": ["variables.data.attachment"]}
    for index, size in enumerate(extras, start=1):
        files[str(index)] = SimpleUploadedFile(f"{index}.csv", b"1" * size)
        file_map[str(index)] = [f"variables.data.extras.{index - 1}"]
    data = {"title": "Report", "attachment": None, "extras": [None] * len(extras)}
    return multipart(query, data, files, file_map)


def with_limit(settings, limit):
    settings.MIZAN = {**settings.MIZAN, "MAX_UPLOAD_SIZE": limit}


async def test_files_beyond_max_upload_size_are_413(gql, uploads, settings, recorded):
    with_limit(settings, 1000)
    status, body = await post(gql, sized_body(SUBMIT, 1001), **PREFLIGHT)
    assert status == 413
    assert body == {
        "errors": [
            {
                "message": "The files of this request exceed MIZAN['MAX_UPLOAD_SIZE'] "
                "(1000 bytes).",
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ]
    }
    assert uploads == []  # nothing ran


async def test_the_limit_counts_every_file_of_the_request(gql, uploads, settings):
    with_limit(settings, 1000)
    # Each file alone is under the limit; together they are over it.
    status, body = await post(gql, sized_body(SUBMIT, 400, 400, 400), **PREFLIGHT)
    assert (status, codes_of(body)) == (413, ["PAYLOAD_TOO_LARGE"])
    assert uploads == []
    # Exactly the limit passes.
    status, body = await post(gql, sized_body(SUBMIT, 400, 400, 200), **PREFLIGHT)
    assert status == 200 and body["data"]["uploadSubmit"]["valid"] is True, body
    assert uploads == ["Report"]


async def test_the_default_limit_is_ten_mebibytes_whatever_djangos_settings(gql, uploads):
    assert DEFAULTS["MAX_UPLOAD_SIZE"] == 10 * 1024 * 1024
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) does not count files: 3 MB pass...
    status, body = await post(gql, sized_body(VALIDATE, 3_000_000), **PREFLIGHT)
    assert (status, body) == (200, VALID)
    # ...and one byte more than 10 MiB is refused.
    status, body = await post(gql, sized_body(VALIDATE, 10 * 1024 * 1024 + 1), **PREFLIGHT)
    assert (status, codes_of(body)) == (413, ["PAYLOAD_TOO_LARGE"])


async def test_no_limit_when_max_upload_size_is_none(gql, uploads, settings):
    with_limit(settings, None)
    status, body = await post(gql, sized_body(VALIDATE, 50_000), **PREFLIGHT)
    assert (status, body) == (200, VALID)


async def test_other_parts_stay_bounded_by_data_upload_max_memory_size(gql, uploads, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    body = sized_body(VALIDATE, 10)
    body["padding"] = "x" * 3000  # a non-file part: Django counts it
    status, payload = await post(gql, body, **PREFLIGHT)
    assert (status, codes_of(payload)) == (413, ["PAYLOAD_TOO_LARGE"])
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in payload["errors"][0]["message"]


@pytest.mark.parametrize(
    "browser",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # sandboxed frames, data: URLs
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin
    ],
)
async def test_a_cross_origin_multipart_query_needs_the_preflight_header(
    gql, uploads, recorded, browser
):
    status, body = await post(gql, upload_body(VALIDATE), **browser)
    assert status == 403
    assert codes_of(body) == ["CSRF_FAILED"]
    assert "Apollo-Require-Preflight" in body["errors"][0]["message"]
    assert recorded == []  # refused before Django's parser received a single file
    # A page that sends the header (so the browser asked first) is served.
    status, body = await post(gql, upload_body(VALIDATE), **browser, **PREFLIGHT)
    assert (status, body) == (200, VALID)
    assert recorded == ["notes.txt", "a.csv", "b.csv"]


async def test_a_cross_origin_multipart_mutation_is_refused_before_its_files_are_read(
    gql, uploads, recorded
):
    status, body = await post(gql, upload_body(), Origin="https://evil.example")
    assert (status, codes_of(body)) == (403, ["CSRF_FAILED"])
    assert recorded == [] and uploads == []


@pytest.mark.parametrize(
    "browser",
    [
        {},  # no browser page: curl, a server, a test client
        {"Origin": "http://testserver"},  # this site's own pages
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "https://app.example.com"},  # trusted by CSRF_TRUSTED_ORIGINS
    ],
)
async def test_same_origin_multipart_queries_need_no_header(gql, uploads, settings, browser):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.example.com"]
    status, body = await post(gql, upload_body(VALIDATE), **browser)
    assert (status, body) == (200, VALID)
    # Mutations still need the header, from any origin.
    status, body = await post(gql, upload_body(), **browser)
    assert (status, codes_of(body)) == (403, ["CSRF_FAILED"])
    assert uploads == []


def reading_post(get_response):
    """A middleware that reads ``request.POST`` (so Django parses the body) first."""

    def middleware(request):
        request.POST  # noqa: B018
        return get_response(request)

    return middleware


async def test_the_limit_holds_when_a_middleware_parsed_the_body_first(gql, uploads, settings):
    settings.MIDDLEWARE = [f"{__name__}.reading_post", *settings.MIDDLEWARE]
    with_limit(settings, 1000)
    status, body = await post(gql, sized_body(SUBMIT, 600, 600), **PREFLIGHT)
    assert (status, codes_of(body)) == (413, ["PAYLOAD_TOO_LARGE"])
    assert uploads == []
    status, body = await post(gql, sized_body(SUBMIT, 600, 400), **PREFLIGHT)
    assert status == 200 and body["data"]["uploadSubmit"]["valid"] is True, body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        (1, []),
        (0, [("mizan_gql.E003", "MIZAN['MAX_UPLOAD_SIZE'] must be a positive number, not 0.")]),
        ("10MB", [("mizan_gql.E002", "MIZAN['MAX_UPLOAD_SIZE'] must be int or None, not str.")]),
    ],
)
def test_max_upload_size_is_checked(settings, value, expected):
    from mizan_gql.checks import check_settings

    settings.MIZAN = {"MAX_UPLOAD_SIZE": value}
    assert [(m.id, m.msg) for m in check_settings()] == expected
