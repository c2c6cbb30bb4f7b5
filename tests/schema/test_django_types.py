"""strawberry-django model types returned by functions, with the optimizer applied."""

from contextlib import asynccontextmanager

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.testapp.models import Author, Book

pytestmark = pytest.mark.django_db(transaction=True)


@asynccontextmanager
async def captured_queries():
    """The SQL run by the server functions (both test clients run sync code in one thread)."""
    context = CaptureQueriesContext(connection)
    captured: list[str] = []

    def stop() -> None:
        context.__exit__(None, None, None)
        captured.extend(q["sql"] for q in context.captured_queries)

    await sync_to_async(context.__enter__, thread_sensitive=True)()
    try:
        yield captured
    finally:
        await sync_to_async(stop, thread_sensitive=True)()


@pytest.fixture
def library(transactional_db):
    for name in ("Ann", "Ben", "Cat"):
        author = Author.objects.create(name=name)
        Book.objects.create(title=f"{name} I", author=author)
        Book.objects.create(title=f"{name} II", author=author)


async def test_books_with_authors_in_one_query(gql, library):
    async with captured_queries() as queries:
        body = await gql.execute("{ books { title author { name } } }")
    assert len(body["data"]["books"]) == 6
    assert body["data"]["books"][0] == {"title": "Ann I", "author": {"name": "Ann"}}
    assert len(queries) == 1, queries
    assert "JOIN" in queries[0]


async def test_authors_with_books_prefetched(gql, library):
    async with captured_queries() as queries:
        body = await gql.execute("{ authors { name books { title } } }")
    assert body["data"]["authors"][2] == {
        "name": "Cat",
        "books": [{"title": "Cat I"}, {"title": "Cat II"}],
    }
    assert len(queries) == 2, queries


async def test_only_selected_columns_are_loaded(gql, library):
    async with captured_queries() as queries:
        await gql.execute("{ books { title } }")
    (query,) = queries
    columns = query.split(" FROM ")[0]
    assert columns == 'SELECT "testapp_book"."id", "testapp_book"."title"', query


async def test_mutation_returns_a_model_instance(gql):
    body = await gql.execute('mutation { addAuthor(name: "Dee") { name books { title } } }')
    assert body == {"data": {"addAuthor": {"name": "Dee", "books": []}}}
    assert await sync_to_async(Author.objects.filter(name="Dee").count)() == 1
