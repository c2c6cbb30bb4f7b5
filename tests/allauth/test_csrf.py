"""Django's CSRF protection stays on for account mutations sent with the session cookie."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.allauth.conftest import LOGIN, LOGOUT, ME, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def post(client: Client, query: str, variables: dict | None = None, **headers: str):
    body = json.dumps({"query": query, "variables": variables or {}})
    return client.post("/graphql", body, content_type="application/json", headers=headers)


def test_logout_with_the_session_cookie_needs_the_csrf_token(make_user):
    make_user("ann")
    browser = Client(enforce_csrf_checks=True)
    # No session yet: nothing to forge, the login runs.
    login = post(browser, LOGIN, {"login": "ann", "password": PASSWORD})
    assert json.loads(login.content)["data"]["accountLogin"]["ok"] is True

    forged = post(browser, LOGOUT)
    assert forged.status_code == 403
    me = json.loads(post(browser, ME).content)
    assert me["data"]["currentUser"]["username"] == "ann"

    # The login rotated the token; the page's fresh csrftoken cookie is what counts.
    token = browser.cookies["csrftoken"].value
    logout = post(browser, LOGOUT, **{"X-CSRFToken": token})
    assert logout.status_code == 200
    assert json.loads(logout.content)["data"]["accountLogout"]["user"] is None
