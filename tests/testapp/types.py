"""strawberry-graphql-django types returned by server functions."""

import strawberry
import strawberry_django

from . import models


@strawberry_django.type(models.Author)
class AuthorType:
    id: strawberry.auto
    name: strawberry.auto
    books: list["BookType"]


@strawberry_django.type(models.Book)
class BookType:
    id: strawberry.auto
    title: strawberry.auto
    author: AuthorType
