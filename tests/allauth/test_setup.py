"""The one-line set-up: the app in INSTALLED_APPS serves the operations; checks catch
what is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.checks import Warning
from django.core.management import call_command

from mizan_gql import get_schema
from mizan_gql.contrib.allauth.api import install
from mizan_gql.contrib.allauth.checks import allauth_setup
from mizan_gql.registry import use_registry

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# One process for both (the machine may be busy): the system checks, then the SDL.
CHECK_THEN_SDL = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', fail_level='WARNING'); call_command('export_schema')"
)


def test_installed_app_serves_the_operations_and_passes_the_checks():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.allauth_app.settings"}
    sdl = subprocess.run(
        [sys.executable, "-c", CHECK_THEN_SDL],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sdl.returncode == 0, sdl.stderr
    for line in [
        "accountLogin(login: String!, password: String!, remember: Boolean! = false): "
        "AccountResult!",
        "accountLogout: AccountResult!",
        "accountSignup(username: String = null, email: String = null, password: String = "
        "null, extra: JSON = null): AccountResult!",
        "accountVerifyEmail(key: String!): AccountResult!",
        "accountRequestPasswordReset(email: String!): AccountResult!",
        "accountResetPassword(key: String!, password: String!): AccountResult!",
        "accountChangePassword(newPassword: String!, currentPassword: String = null): "
        "AccountResult!",
        "currentUser: AccountUser",
        "fieldErrors: [FormFieldError!]!",
    ]:
        assert line in sdl.stdout, line


def test_missing_allauth_apps_are_a_check_error():
    check = manage("check", settings="tests.allauth_app.no_allauth_settings")
    assert check.returncode != 0
    assert "mizan_gql.E090" in check.stderr
    assert '"allauth.account"' in check.stderr


def test_missing_allauth_urls_are_a_warning(settings):
    settings.ROOT_URLCONF = "tests.urls"
    [warning] = allauth_setup()
    assert isinstance(warning, Warning) and warning.id == "mizan_gql.W091"
    assert 'include("allauth.urls")' in (warning.hint or "")
    settings.ROOT_URLCONF = "tests.allauth_app.urls"
    assert allauth_setup() == []


@pytest.mark.django_db
def test_own_current_user_context_can_replace_ours():
    with use_registry():
        install(current_user_context=False)
        schema = get_schema()
        assert "currentUser" not in str(schema)
        assert "accountLogin" in str(schema)


@pytest.mark.django_db
def test_generated_client_has_use_current_user_and_the_operations(tmp_path):
    call_command("export_client", "--out", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    react = (tmp_path / "react.ts").read_text()
    api = (tmp_path / "api.ts").read_text()
    assert "export function useCurrentUser(" in react
    for name in ("accountLogin", "accountLogout", "accountSignup", "accountChangePassword"):
        assert f"export async function {name}(" in api
