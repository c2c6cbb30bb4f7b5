"""ClientError codes, and unexpected exceptions: logged with traceback, masked unless DEBUG."""

import logging

import pytest
from django.test import override_settings

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "hunter2"


@pytest.mark.parametrize("code", ["NOT_FOUND", "BAD_USER_INPUT", "FORBIDDEN", "CUSTOM_CODE"])
async def test_client_error_reaches_the_client_with_its_code(gql, code, caplog):
    body = await gql.execute("query($c: String!) { fail(code: $c) }", {"c": code})
    assert body["data"] is None
    assert body["errors"][0]["message"] == f"failed with {code}"
    assert codes_of(body) == [code]
    assert not [r for r in caplog.records if r.name == "mizan_gql"]  # expected, not logged


async def test_unexpected_error_is_logged_with_traceback_and_masked(gql, caplog):
    caplog.set_level(logging.ERROR, logger="mizan_gql")
    response = await gql.post('{ fail(code: "boom") }')
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Internal server error"
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert SECRET.encode() not in response.content
    assert b"Traceback" not in response.content
    (record,) = [r for r in caplog.records if r.name == "mizan_gql"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "fail" in record.getMessage()


@override_settings(DEBUG=True)
async def test_unexpected_error_is_shown_when_debug(gql, caplog):
    body = await gql.execute('{ fail(code: "boom") }')
    assert SECRET in body["errors"][0]["message"]
    assert codes_of(body) == ["INTERNAL_SERVER_ERROR"]
    assert [r for r in caplog.records if r.name == "mizan_gql"]


@override_settings(DEBUG=True, MIZAN={"MASK_ERRORS": True})
async def test_mask_errors_setting_wins_over_debug(gql):
    body = await gql.execute('{ fail(code: "boom") }')
    assert body["errors"][0]["message"] == "Internal server error"


@override_settings(DEBUG=False, MIZAN={"MASK_ERRORS": False})
async def test_masking_can_be_switched_off(gql):
    body = await gql.execute('{ fail(code: "boom") }')
    assert SECRET in body["errors"][0]["message"]


async def test_masked_validation_errors_do_not_suggest_field_names(gql):
    body = await gql.execute("{ secretUsr }")
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_syntax_error_has_a_code(gql):
    body = await gql.execute("{ echo(")
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["GRAPHQL_PARSE_FAILED"]
