"""The django-allauth integration as a plugin, registered by its own app's ``ready()``.

It is what a third-party app extending mizan_gql looks like: its functions come from its
``mizan_clients`` module (autodiscovered like any app's), the plugin adds its checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...plugins import Plugin
from .checks import allauth_setup

__all__ = ["AllauthPlugin"]


class AllauthPlugin(Plugin):
    """Account operations over GraphQL: their set-up is checked at ``manage.py check``."""

    order = 80

    def checks(self) -> Sequence[Any]:
        return [allauth_setup]
