"""Autodiscovered by mizan_gql: serves the account operations of this app."""

from ...conf import mizan_settings
from .api import install

install(current_user_context=mizan_settings.ALLAUTH_CURRENT_USER)
