"""Registering the account operations and the ``current_user`` context."""

from __future__ import annotations

from ...registry import client
from .operations import (
    account_change_password,
    account_login,
    account_logout,
    account_request_password_reset,
    account_reset_password,
    account_signup,
    account_verify_email,
)
from .user import current_user

__all__ = ["install"]

MUTATIONS = (
    account_login,
    account_logout,
    account_signup,
    account_verify_email,
    account_request_password_reset,
    account_reset_password,
)


def install(*, current_user_context: bool = True) -> None:
    """Register the account mutations (and ``current_user``) in the active registry.

    The app's ``mizan_clients`` module calls it, so adding ``"mizan_gql.contrib.allauth"``
    to ``INSTALLED_APPS`` is all it takes. ``current_user_context=False`` (the setting
    ``MIZAN["ALLAUTH_CURRENT_USER"] = False``) leaves the ``current_user`` context to your
    own function; the mutations invalidate it all the same.
    """
    for mutation in MUTATIONS:
        client(mutation=True)(mutation)
    client(mutation=True, auth=True)(account_change_password)
    if current_user_context:
        # Never cached: it is one cheap read, and a cached copy per user would have to be
        # dropped for every user at each sign-in (a global context has no parameters).
        client(context="global", cache="none")(current_user)
