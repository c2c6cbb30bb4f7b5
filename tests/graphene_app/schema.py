"""The graphene-django schema of a project moving to mizan_gql one endpoint at a time: the
same models as tests.testapp's server functions, served at /graphene/ next to /graphql."""

import graphene
from graphene_django import DjangoObjectType

from tests.testapp import models


class AuthorNode(DjangoObjectType):
    class Meta:
        model = models.Author
        fields = ("id", "name", "books")


class BookNode(DjangoObjectType):
    class Meta:
        model = models.Book
        fields = ("id", "title", "author")


class Query(graphene.ObjectType):
    all_authors = graphene.List(graphene.NonNull(AuthorNode), required=True)

    def resolve_all_authors(root, info):
        return models.Author.objects.order_by("id")


class RenameAuthor(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        name = graphene.String(required=True)

    author = graphene.Field(AuthorNode)

    def mutate(root, info, id, name):
        author = models.Author.objects.get(pk=id)
        author.name = name
        author.save(update_fields=["name"])
        return RenameAuthor(author=author)


class Mutation(graphene.ObjectType):
    rename_author = RenameAuthor.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
