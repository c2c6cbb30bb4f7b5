"""The URLconf of empty_settings: mizan_gql's URLs only."""

from django.urls import include, path

urlpatterns = [path("graphql", include("mizan_gql.urls"))]
