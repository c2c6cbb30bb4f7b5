"""``MIZAN["WS_AUTHENTICATE"]`` functions of the tests: a token in ``connectionParams``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

# token -> username
TOKENS = {"ann-token": "ann"}


def token_user(request, params):
    """The user of ``params["token"]``; None without a token (the session decides)."""
    token = params.get("token")
    if token is None:
        return None
    if token not in TOKENS:
        raise PermissionDenied("unknown token")
    return get_user_model().objects.get(username=TOKENS[token])


async def async_token_user(request, params):
    token = params.get("token")
    if token is None:
        return None
    if token not in TOKENS:
        raise PermissionDenied("unknown token")
    return await get_user_model().objects.aget(username=TOKENS[token])


def broken(request, params):
    raise RuntimeError("the token service is down")


NOT_A_FUNCTION = 42
