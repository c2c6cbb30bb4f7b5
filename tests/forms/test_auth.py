"""``mizanFormMeta(auth=...)`` guards the schema, validate and submit fields like ``@client``."""

from __future__ import annotations

import pytest

from tests.conftest import codes_of

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = {
    "schema": "{ articleSchema { title } }",
    "validate": 'query { articleValidate(data: {title: "x"}) { valid } }',
    "submit": 'mutation { articleSubmit(data: {title: "x"}) { valid result } }',
}
STAFF_NOTE = {
    "schema": "{ staffNoteSchema { title } }",
    "validate": 'query { staffNoteValidate(data: {note: "x"}) { valid } }',
    "submit": 'mutation { staffNoteSubmit(data: {note: "x"}) { valid result } }',
}


@pytest.mark.parametrize("operation", ["schema", "validate", "submit"])
async def test_anonymous_users_are_unauthenticated(gql, operation):
    for document in (ARTICLE[operation], STAFF_NOTE[operation]):
        body = await gql.execute(document)
        assert codes_of(body) == ["UNAUTHENTICATED"]
        assert body["data"] is None


@pytest.mark.parametrize("operation", ["schema", "validate", "submit"])
async def test_staff_form_forbids_other_users(gql, users, operation):
    await gql.force_login(users["bob"])
    body = await gql.execute(STAFF_NOTE[operation])
    assert codes_of(body) == ["FORBIDDEN"]
    assert body["data"] is None
    body = await gql.execute(ARTICLE[operation])  # auth=True: any signed-in user
    assert "errors" not in body


async def test_staff_form_serves_staff(gql, users):
    await gql.force_login(users["staff"])
    body = await gql.execute(STAFF_NOTE["submit"])
    assert body == {
        "data": {"staffNoteSubmit": {"valid": True, "result": {"note": "x", "by": "stan"}}}
    }


async def test_refusal_runs_before_the_form(gql, sent):
    # Even invalid data gets the auth error, not form errors: nothing is looked at.
    body = await gql.execute('mutation { articleSubmit(data: {title: ""}) { valid } }')
    assert codes_of(body) == ["UNAUTHENTICATED"]
    assert sent == []


async def test_open_forms_need_no_user(gql):
    body = await gql.execute("{ contactSchema { title } }")
    assert body == {"data": {"contactSchema": {"title": "Contact Us"}}}
