"""Import ``mizan_clients`` modules of installed apps, like ``admin.autodiscover``."""

from __future__ import annotations

from django.utils.module_loading import autodiscover_modules

MODULE_NAME = "mizan_clients"


def autodiscover() -> None:
    autodiscover_modules(MODULE_NAME)
