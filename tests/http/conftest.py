"""Users of every kind for the HTTP tests."""

import pytest


@pytest.fixture
def users(django_user_model):
    """anonymous (None), a plain user, the user the callable accepts, staff, superuser."""
    make = django_user_model.objects.create_user
    return {
        "anonymous": None,
        "user": make("bob", password="pw"),
        "callable": make("alice", password="pw"),
        "staff": make("stan", password="pw", is_staff=True),
        "superuser": django_user_model.objects.create_superuser("sue", password="pw"),
    }


@pytest.fixture(params=["wsgi", "asgi"])
def csrf_gql(request):
    """Like ``gql`` but with Django's CSRF checks enforced, as for a real browser."""
    from django.test import AsyncClient, Client

    from tests.conftest import GraphQLClient

    if request.param == "asgi":
        return GraphQLClient(AsyncClient(enforce_csrf_checks=True), is_async=True)
    return GraphQLClient(Client(enforce_csrf_checks=True), is_async=False)
