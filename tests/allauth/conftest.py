"""The allauth integration served at /graphql: registry, URLs, mail and GraphQL helpers."""

from __future__ import annotations

import json
import re
from importlib import import_module
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from mizan_gql.contrib.allauth.api import install
from mizan_gql.registry import use_registry
from mizan_gql.registry.autodiscover import autodiscover
from tests.allauth_app.channels import private_channel

RESULT = "ok user { id username email verified isStaff } pending fieldErrors { field messages codes } nonFieldErrors { message code }"  # noqa: E501

LOGIN = f"""mutation($login: String!, $password: String!) {{
  accountLogin(login: $login, password: $password) {{ {RESULT} }} }}"""
LOGOUT = f"mutation {{ accountLogout {{ {RESULT} }} }}"
SIGNUP = f"""mutation($username: String, $email: String, $password: String) {{
  accountSignup(username: $username, email: $email, password: $password) {{ {RESULT} }} }}"""
VERIFY = f"mutation($key: String!) {{ accountVerifyEmail(key: $key) {{ {RESULT} }} }}"
REQUEST_RESET = f"""mutation($email: String!) {{
  accountRequestPasswordReset(email: $email) {{ {RESULT} }} }}"""
RESET = f"""mutation($key: String!, $password: String!) {{
  accountResetPassword(key: $key, password: $password) {{ {RESULT} }} }}"""
CHANGE = f"""mutation($current: String, $new: String!) {{
  accountChangePassword(currentPassword: $current, newPassword: $new) {{ {RESULT} }} }}"""
ME = "{ currentUser { id username email verified isStaff } }"

PASSWORD = "a-long-Pass-phrase-42"


@pytest.fixture(autouse=True)
def account_api(settings):
    """The account operations in a registry of their own, allauth's URLs, empty caches.

    The cache holds allauth's rate-limit counters; every test starts with none.
    """
    settings.ROOT_URLCONF = "tests.allauth_app.urls"
    # allauth builds its URL patterns from its settings when first imported: import them
    # with the defaults, not inside a test that turned on, say, password reset by code.
    import_module(settings.ROOT_URLCONF)
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 10},
        }
    ]
    settings.AUTHENTICATION_BACKENDS = [  # allauth's set-up
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    cache.clear()
    # Import every app's mizan_clients into the project's registry first: a schema built
    # inside the fresh registry must not adopt (and steal) modules imported for the first time.
    autodiscover()
    with use_registry() as registry:
        install()
        channel = private_channel()
        yield {"registry": registry, "channel": channel}
    cache.clear()


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


def data_of(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert not body.get("errors"), body
    return body["data"][field]


def codes(result: dict[str, Any]) -> dict[str, list[str]]:
    """{field or "__all__": [codes]} of an AccountResult."""
    found = {e["field"]: e["codes"] for e in result["fieldErrors"]}
    if result["nonFieldErrors"]:
        found["__all__"] = [e["code"] for e in result["nonFieldErrors"]]
    return found


def link_key(message: Any, pattern: str) -> str:
    """The key in the link of an allauth email (``pattern`` has one group)."""
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(1)


def verification_key(message: Any) -> str:
    return link_key(message, r"/accounts/confirm-email/([^/\s]+)/")


def reset_key(message: Any) -> str:
    return link_key(message, r"/accounts/password/reset/key/([^/\s]+)/")


def invalidated(response: Any) -> list[str]:
    """The entries of X-Mizan-Invalidate, checked against extensions.mizan.invalidate."""
    header = response.headers.get("X-Mizan-Invalidate", "")
    entries = [e for e in header.split(", ") if e]
    body = json.loads(response.content)
    assert (body.get("extensions") or {}).get("mizan", {}).get("invalidate", []) == entries
    return entries


@pytest.fixture
def make_user(django_user_model):
    """``make_user("ann", email=..., verified=...)``: a user with allauth's EmailAddress."""
    from allauth.account.models import EmailAddress

    def make(username: str, *, email: str | None = None, verified: bool = False, **extra: Any):
        email = email or f"{username}@example.com"
        user = django_user_model.objects.create_user(
            username, email=email, password=PASSWORD, **extra
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        return user

    return make


async def orm(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` (ORM work) from a test coroutine."""
    from asgiref.sync import sync_to_async

    return await sync_to_async(fn, thread_sensitive=True)(*args, **kwargs)
