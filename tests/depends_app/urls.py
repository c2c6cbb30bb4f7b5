"""The URLconf of the depends_on tests: the admin next to the GraphQL endpoint."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql", include("mizan_gql.urls")),
]
