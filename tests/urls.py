from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("admin/", admin.site.urls),  # mizan_gql.observability's Contexts page
]
