"""The test project's URLs plus a session login and Django's own logout view, for the tests
of what a WebSocket does after its session ends (tests/channels/test_sessions.py)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from tests.urls import urlpatterns as base_urlpatterns

from .views import login

urlpatterns = [
    *base_urlpatterns,
    path("login/", login),
    path("logout/", LogoutView.as_view(next_page="/graphql")),
]
