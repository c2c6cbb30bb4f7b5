"""The codegen test project without its server functions: the client of an empty registry."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "tests.codegen_app"]  # noqa: F405
ROOT_URLCONF = "tests.codegen_app.empty_urls"
MIZAN: dict[str, object] = {}
