"""The ``current_user`` global context: who is signed in, as django-allauth sees it."""

from __future__ import annotations

from typing import Any

import strawberry

from .types import AccountUser

__all__ = ["CONTEXT", "account_user", "current_user"]

# The context the account operations invalidate (the generated client's useCurrentUser()).
CONTEXT = "current_user"


def account_user(user: Any) -> AccountUser | None:
    """``user`` as an :class:`AccountUser`; ``None`` for an anonymous (or missing) user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from allauth.account.utils import has_verified_email, user_email, user_username

    email = user_email(user) or None
    return AccountUser(
        id=strawberry.ID(str(user.pk)),
        username=user_username(user) or "",
        email=email,
        verified=bool(email) and has_verified_email(user, email),
        is_staff=bool(getattr(user, "is_staff", False)),
    )


def current_user(request: Any) -> AccountUser | None:
    """The signed-in user (null when anonymous); refetched after every account operation."""
    return account_user(getattr(request, "user", None))
