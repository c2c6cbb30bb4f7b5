"""ModelForms: create, edit by id behind ``can_edit``, default save, transactions."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Permission

from tests.conftest import codes_of
from tests.forms_app.models import Article, Category

from .conftest import field_errors, submit, submit_raw, validate

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def articles() -> list[tuple[str, str, str | None, list[str]]]:
    return [
        (
            a.owner.username,
            a.title,
            a.category.name if a.category else None,
            sorted(t.name for t in a.tags.all()),
        )
        for a in Article.objects.order_by("id")
    ]


@sync_to_async
def make_article(owner, title="Mine") -> Article:
    return Article.objects.create(owner=owner, title=title)


async def test_create(gql, users, choices):
    await gql.force_login(users["alice"])
    data = {
        "title": "Hello",
        "body": "Text",
        "category": str(choices["news"].pk),
        "tags": [str(choices["red"].pk)],
    }
    result = await submit(gql, "article", data)
    assert result["valid"] is True
    assert result["result"]["title"] == "Hello"
    assert result["result"]["tags"] == ["red"]
    assert await articles() == [("alice", "Hello", "news", ["red"])]


async def test_validate_saves_nothing(gql, users):
    await gql.force_login(users["alice"])
    assert (await validate(gql, "article", {"title": "Hello"}))["valid"] is True
    assert await articles() == []


async def test_invalid_data_saves_nothing(gql, users):
    await gql.force_login(users["alice"])
    result = await submit(gql, "article", {"title": "x" * 101})
    assert field_errors(result) == {"title": ["max_length"]}
    assert result["result"] is None
    assert await articles() == []


async def test_validation_error_from_on_submit_success_rolls_back(gql, users):
    await gql.force_login(users["alice"])
    result = await submit(gql, "article", {"title": "explode"})
    assert result == {
        "valid": False,
        "fieldErrors": [],
        "nonFieldErrors": [{"message": "The archive refused the article.", "code": "archive"}],
        "result": None,
    }
    assert await articles() == []


async def test_edit_own_object(gql, users, choices):
    article = await make_article(users["alice"])
    await gql.force_login(users["alice"])
    data = {"title": "Renamed", "tags": [str(choices["blue"].pk)]}
    assert (await validate(gql, "article", data, id=str(article.pk)))["valid"] is True
    result = await submit(gql, "article", data, id=str(article.pk))
    assert result["valid"] is True
    assert result["result"] == {"id": article.pk, "title": "Renamed", "tags": ["blue"]}
    assert await articles() == [("alice", "Renamed", None, ["blue"])]


async def test_edit_of_another_users_object_is_refused(gql, users):
    article = await make_article(users["alice"])
    await gql.force_login(users["bob"])
    body = await submit_raw(gql, "article", {"title": "Hijacked"}, id=str(article.pk))
    assert codes_of(body) == ["FORBIDDEN"]
    assert body["data"] is None
    body = await gql.execute(
        "query($d: ArticleFormInput!, $id: ID) { articleValidate(data: $d, id: $id) { valid } }",
        {"d": {"title": "Hijacked"}, "id": str(article.pk)},
    )
    assert codes_of(body) == ["FORBIDDEN"]
    assert await articles() == [("alice", "Mine", None, [])]


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999999", ""])
async def test_edit_of_a_missing_object(gql, users, pk):
    await gql.force_login(users["alice"])
    body = await submit_raw(gql, "article", {"title": "Ghost"}, id=pk)
    assert codes_of(body) == ["NOT_FOUND"]
    assert await articles() == []


async def test_default_save_and_permission_checked_edit(gql, users):
    # CategoryForm overrides nothing: submit saves, editing needs the change permission.
    result = await submit(gql, "category", {"name": "music"})
    category = await Category.objects.aget(name="music")
    assert (result["valid"], result["result"]) == (True, {"id": category.pk})

    body = await submit_raw(gql, "category", {"name": "jazz"}, id=str(category.pk))
    assert codes_of(body) == ["UNAUTHENTICATED"]
    await gql.force_login(users["bob"])
    body = await submit_raw(gql, "category", {"name": "jazz"}, id=str(category.pk))
    assert codes_of(body) == ["FORBIDDEN"]

    permission = await Permission.objects.aget(codename="change_category")
    await users["bob"].user_permissions.aadd(permission)
    result = await submit(gql, "category", {"name": "jazz"}, id=str(category.pk))
    assert (result["valid"], result["result"]) == (True, {"id": category.pk})
    assert [c.name async for c in Category.objects.all()] == ["jazz"]


async def test_unique_check_sees_the_edited_instance(gql, users):
    await gql.force_login(users["superuser"])
    news = await Category.objects.acreate(name="news")
    await Category.objects.acreate(name="sport")
    # Keeping its own name is fine; taking another category's name is not.
    assert (await validate(gql, "category", {"name": "news"}, id=str(news.pk)))["valid"] is True
    payload = await validate(gql, "category", {"name": "sport"}, id=str(news.pk))
    assert field_errors(payload) == {"name": ["unique"]}
    payload = await validate(gql, "category", {"name": "sport"})
    assert field_errors(payload) == {"name": ["unique"]}


async def test_plain_forms_have_no_id_argument(gql):
    body = await gql.execute(
        'mutation { contactSubmit(data: {name: "a", email: "a@b.co"}, id: "1") { valid } }'
    )
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]
