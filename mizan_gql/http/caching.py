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

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from ..constants import TAG_HEADERS
from ..responses import make_public

__all__ = ["carries_credentials", "secure_cache_headers"]


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
