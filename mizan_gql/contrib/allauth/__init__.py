"""django-allauth's account flows over GraphQL (install ``mizan-gql[allauth]``).

Add ``"mizan_gql.contrib.allauth"`` to ``INSTALLED_APPS`` (with allauth's own set-up) to
get ``accountLogin``, ``accountLogout``, ``accountSignup``, ``accountVerifyEmail``,
``accountRequestPasswordReset``, ``accountResetPassword``, ``accountChangePassword`` and
the ``currentUser`` global context. See docs/allauth.md.
"""

from .types import AccountResult, AccountUser
from .user import CONTEXT, account_user

__all__ = ["CONTEXT", "AccountResult", "AccountUser", "account_user"]
