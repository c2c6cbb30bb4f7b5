"""Both schemas side by side: graphene-django's view at /graphene/, mizan_gql at /graphql
(docs/migrating.md)."""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from .schema import schema

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("graphene/", csrf_exempt(GraphQLView.as_view(schema=schema))),
]
