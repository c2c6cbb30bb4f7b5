from django.urls import include, path

from . import views

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("session/", views.session),
    path("page/", views.page),
]
