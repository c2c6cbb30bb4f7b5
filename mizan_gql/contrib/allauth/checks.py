"""System checks for the allauth integration's set-up (registered by the app's ready())."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Warning
from django.urls import NoReverseMatch, reverse


def allauth_setup(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not apps.is_installed("allauth.account"):
        return [
            Error(
                "mizan_gql.contrib.allauth needs django-allauth's account app.",
                hint='Add "allauth" and "allauth.account" to INSTALLED_APPS and '
                '"allauth.account.middleware.AccountMiddleware" to MIDDLEWARE '
                "(pip install mizan-gql[allauth]).",
                id="mizan_gql.E090",
            )
        ]
    try:
        reverse("account_login")
    except NoReverseMatch:
        return [
            Warning(
                "django-allauth's URLs are not in the URLconf: its emails link to them and "
                "its flows redirect to them (mandatory email verification, inactive users).",
                hint='Add path("accounts/", include("allauth.urls")) to your URLconf, or point '
                "the links at your front end in your allauth adapter "
                "(get_email_confirmation_url, get_reset_password_from_key_url).",
                id="mizan_gql.W091",
            )
        ]
    return []
