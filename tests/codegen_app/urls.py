from django.urls import include, path

from . import users, views

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("session/", views.session),
    path("page/", views.page),
    path("login/", users.login),
]
