"""The last word on how a GraphQL response may be cached, whatever ran before.

Context fields set the cache policy of a response (:mod:`mizan_gql.contexts.extension`);
this makes sure that nothing a cache stores can hurt another user:

- a response with errors, or a 4xx/5xx status, is ``no-store`` and has no tag headers;
- a response to a request carrying credentials (a cookie or ``Authorization``) that is not
  explicitly public is ``private``;
- a public response carries no cookie, neither now nor from middleware running later
  (a session saved on every request, a rotated CSRF token), and says ``Vary: Accept``
  because its content type follows that header.
"""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from ..contexts.policy import TAG_HEADERS

__all__ = ["NoCookies", "make_public", "secure_cache_headers"]

logger = logging.getLogger("mizan_gql")


class NoCookies:
    """A response shared by every user: cookies set on it are dropped."""

    def set_cookie(self, key: str, *args: Any, **kwargs: Any) -> None:
        logger.debug("Dropped the cookie %r on a public response", key)

    def delete_cookie(self, key: str, *args: Any, **kwargs: Any) -> None:
        logger.debug("Dropped a deletion of the cookie %r on a public response", key)


_classes: dict[type, type] = {}


def make_public(response: HttpResponseBase) -> HttpResponseBase:
    """Make ``response`` refuse cookies from now on and forget those it has."""
    cls = type(response)
    if not issubclass(cls, NoCookies):
        public = _classes.get(cls)
        if public is None:
            public = _classes[cls] = type(f"Public{cls.__name__}", (NoCookies, cls), {})
        response.__class__ = public
    response.cookies = SimpleCookie()
    return response


def carries_credentials(request: HttpRequest) -> bool:
    return bool(request.COOKIES) or "HTTP_AUTHORIZATION" in request.META


def secure_cache_headers(
    request: HttpRequest, response: HttpResponseBase, *, failed: bool
) -> HttpResponseBase:
    """Apply the rules of this module to the response of ``request``."""
    cache_control = response.get("Cache-Control", "")
    if failed or response.status_code >= 400:
        response["Cache-Control"] = "no-store"
        for header in TAG_HEADERS:
            if header in response:
                del response[header]
    elif "public" in cache_control or "s-maxage" in cache_control:
        make_public(response)
        patch_vary_headers(response, ("Accept",))
    elif not cache_control and carries_credentials(request):
        response["Cache-Control"] = "private"
    return response
