"""Fixtures for the forms tests: users, rows to choose from, and GraphQL helpers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.forms_app import mizan_clients


@pytest.fixture(autouse=True)
def sent():
    """The record of on_submit_success calls, empty at the start of each test."""
    mizan_clients.SENT.clear()
    yield mizan_clients.SENT
    mizan_clients.SENT.clear()


@pytest.fixture
def users(django_user_model):
    make = django_user_model.objects.create_user
    return {
        "alice": make("alice", password="pw"),
        "bob": make("bob", password="pw"),
        "staff": make("stan", password="pw", is_staff=True),
        "superuser": django_user_model.objects.create_superuser("sue", password="pw"),
    }


@pytest.fixture
def choices():
    from tests.forms_app.models import Category, Tag

    return {
        "news": Category.objects.create(name="news"),
        "sport": Category.objects.create(name="sport"),
        "red": Tag.objects.create(name="red"),
        "blue": Tag.objects.create(name="blue"),
    }


@pytest.fixture(params=["wsgi", "asgi"])
def csrf_gql(request):
    """Like ``gql`` but with Django's CSRF checks enforced, as for a real browser."""
    from django.test import AsyncClient, Client

    from tests.conftest import GraphQLClient

    if request.param == "asgi":
        return GraphQLClient(AsyncClient(enforce_csrf_checks=True), is_async=True)
    return GraphQLClient(Client(enforce_csrf_checks=True), is_async=False)


RESULT = "valid fieldErrors { field messages codes } nonFieldErrors { message code }"


def field_errors(payload: dict[str, Any]) -> dict[str, list[str]]:
    """``fieldErrors`` as {field: codes}."""
    return {e["field"]: e["codes"] for e in payload["fieldErrors"]}


async def validate(gql, form: str, data: dict[str, Any], **variables: Any) -> dict[str, Any]:
    type_name = form[0].upper() + form[1:]
    extra = "".join(f", ${k}: ID" for k in variables)
    args = "".join(f", {k}: ${k}" for k in variables)
    body = await gql.execute(
        f"query($data: {type_name}FormInput!{extra}) "
        f"{{ r: {form}Validate(data: $data{args}) {{ {RESULT} }} }}",
        {"data": data, **variables},
    )
    assert "errors" not in body, body
    return body["data"]["r"]


async def submit(
    gql, form: str, data: dict[str, Any], result: str = "result", **variables: Any
) -> dict[str, Any]:
    body = await submit_raw(gql, form, data, result, **variables)
    assert "errors" not in body, body
    return body["data"]["r"]


async def submit_raw(
    gql, form: str, data: dict[str, Any], result: str = "result", **variables: Any
) -> dict[str, Any]:
    type_name = form[0].upper() + form[1:]
    extra = "".join(f", ${k}: ID" for k in variables)
    args = "".join(f", {k}: ${k}" for k in variables)
    return await gql.execute(
        f"mutation($data: {type_name}FormInput!{extra}) "
        f"{{ r: {form}Submit(data: $data{args}) {{ {RESULT} {result} }} }}",
        {"data": data, **variables},
    )
