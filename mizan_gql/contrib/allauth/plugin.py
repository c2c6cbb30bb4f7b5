"""The django-allauth integration as a plugin, registered by its own app's ``ready()``.

It is what a third-party app extending mizan_gql looks like: its functions come from its
``mizan_clients`` module (autodiscovered like any app's), the plugin adds its checks.
"""

from ...plugins import Plugin
from .checks import allauth_setup

__all__ = ["ALLAUTH"]

ALLAUTH = Plugin(name="allauth", order=80, checks=[allauth_setup])
