"""``GET /graphql/ctx/<context>/?param=value``: a context as a CDN-cacheable URL.

The endpoint runs the context's generated operation and answers an ordinary GraphQL
response with the context's HTTP cache policy (``Cache-Control``, tag headers for public
contexts, ``Vary: Cookie`` for private ones) and a strong ``ETag`` (304 on a match).

A successful response is stored as bytes in ``MIZAN["CACHE"]`` together with the
context's version (the token of :func:`mizan_gql.contexts.acontext_version`, read in the
same cache round trip as the stored bytes). A request whose version still matches is
answered from those bytes, with no parsing, validation or execution of GraphQL; an
invalidation changes the version, so stale bytes are never served.

:func:`prepare` (what a query string means) and :func:`respond` (the response for stored
or fresh bytes) are shared by :func:`context_view` and ``ContextCacheMiddleware``, which
answers public hits before the rest of the middleware (see middleware.py).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import TooManyFieldsSent
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.context import StrawberryDjangoContext
from strawberry.django.views import TemporalHttpResponse
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from ..auth import check_auth
from ..exceptions import ClientError, RegistrationError
from ..request import anonymous_user
from ..responses import error_response, make_public, too_many_parts
from ..schema import get_schema
from ..signals import context_read
from .keys import PUBLIC_SCOPE, digest, token_keys, user_scope
from .operation import ContextOperation, context_operation
from .policy import context_cache_headers
from .reporting import report_endpoint_hit
from .store import CacheUnavailable, aguarded, lookup
from .store import store as store_entry

__all__ = [
    "ALLOWED_METHODS",
    "ENDPOINT_ROUTE",
    "ContextRequest",
    "context_view",
    "etag_of",
    "is_endpoint_path",
    "prepare",
    "respond",
]

logger = logging.getLogger("mizan_gql")

KEY_PREFIX = "mizan:ctxhttp:"
# The request headers Django's get_conditional_response acts on.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)
ALLOWED_METHODS = ("GET", "HEAD")
# The endpoint's URL pattern, relative to the GraphQL path (mizan_gql.urls places it).
ENDPOINT_ROUTE = r"^ctx/(?P<context>[A-Za-z_]\w*)/$"
READING = "reading a context response"


@dataclass(frozen=True)
class ContextRequest:
    """What a query string of a context means: typed values and what follows from them."""

    values: dict[str, Any]
    canonical: str  # the canonical query string (names sorted, canonical values)
    public_key: str  # the stored response's key when the context is public
    headers: dict[str, str]  # Cache-Control and tag headers of a successful response
    tokens: list[str]  # the version tokens the response depends on

    def key(self, spec: ContextOperation, scope: list[Any]) -> str:
        """Where the response for ``scope`` (PUBLIC_SCOPE or a user_scope) is stored."""
        return response_key(spec, scope, self.canonical)


def response_key(spec: ContextOperation, scope: list[Any], canonical: str) -> str:
    return KEY_PREFIX + digest(spec.name, spec.operation.sha256, scope, canonical)


# Distinct query strings remembered per context (per schema, so settings changes reset it).
MAX_PREPARED = 1024


def prepare(spec: ContextOperation, request: HttpRequest) -> ContextRequest:
    """The meaning of ``request``'s query string; raises ClientError when it is invalid.

    Parsed once per distinct query string: parsing is deterministic once the schema is
    built (the parameter types are fixed).
    """
    memo = spec.requests
    raw = request.META.get("QUERY_STRING", "")
    context_request = memo.get(raw)
    if context_request is None:
        values = spec.parse({k: request.GET.getlist(k) for k in request.GET})
        canonical = spec.canonical_query(values)
        context_request = ContextRequest(
            values=values,
            canonical=canonical,
            public_key=response_key(spec, PUBLIC_SCOPE, canonical),
            headers=context_cache_headers(spec.name, values),
            tokens=token_keys(spec.name, values),
        )
        if len(memo) >= MAX_PREPARED:
            memo.clear()
        memo[raw] = context_request
    return context_request


def respond(
    request: HttpRequest,
    spec: ContextOperation,
    context_request: ContextRequest,
    content: bytes,
    etag: str,
) -> HttpResponseBase:
    """The response for ``content``: cache headers, ETag, and a 304 when it matches."""
    public = spec.policy.cache == "public"
    response = _json(200, content, context_request.headers, public=public)
    if spec.policy.cache == "private":
        # Revalidate every time (the ETag makes that cheap); never stored by shared caches.
        response["Cache-Control"] = "private, max-age=0"
        patch_vary_headers(response, ("Cookie",))
    response["ETag"] = etag
    if not any(header in request.META for header in CONDITIONAL_HEADERS):
        return response
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None and public:
        make_public(conditional)  # a 304 is shared like the response it stands for
    return conditional if conditional is not None else response


def is_endpoint_path(path: str, context: str) -> bool:
    """Whether ``path`` (resolved to the endpoint of ``context``) is its URL: one slash
    between the GraphQL path and ``ctx/``.

    Django resolves a pattern against what follows the include's prefix, so the endpoint's
    pattern also matches ``/api/graphql//ctx/user/`` and ``/graphqlctx/user/``. Those answer
    404: an edge would cache them under URLs no purge names.
    """
    tail = f"ctx/{context}/"
    return path.endswith("/" + tail) and not path.endswith("//" + tail)


# Exempt from Django's CSRF check: the endpoint never changes anything (GET and HEAD run the
# context's query, which CSRF does not check anyway; every other method is answered 405
# before anything else). Without it, CsrfViewMiddleware answered unsafe methods with its
# HTML 403 page instead of the JSON 405 that says which methods to use.
@csrf_exempt
async def context_view(request: HttpRequest, context: str) -> HttpResponseBase:
    """The context endpoint (``mizan_gql:context``)."""
    if not is_endpoint_path(request.path_info, context):
        raise Http404("No context endpoint at this URL.")  # as if it did not resolve
    if request.method not in ALLOWED_METHODS:
        return error_response(
            405, "The context endpoint only answers GET.", headers={"Allow": "GET, HEAD"}
        )
    try:
        schema = get_schema()
    except RegistrationError:
        logger.exception("The mizan_gql schema could not be built")
        return error_response(500, "The GraphQL schema is misconfigured; see the server log.")
    spec = context_operation(schema, context)
    if spec is None:
        return error_response(404, f"There is no context named {context!r}.", "NOT_FOUND")
    try:
        context_request = prepare(spec, request)
    except ClientError as exc:
        body = {"errors": [{"message": exc.message, "extensions": exc.as_extensions()}]}
        return _json(400, json.dumps(body).encode(), {"Cache-Control": "no-store"})
    except TooManyFieldsSent as exc:
        return too_many_parts(exc)

    policy = spec.policy
    key = version = None
    scope = PUBLIC_SCOPE
    if policy.cache != "none" and policy.ttl > 0:
        if policy.cache == "public":
            key = context_request.public_key
        else:
            scope = await _user_scope(request)
            key = context_request.key(spec, scope)
        try:
            # One cache round trip reads the context's version tokens (the same version
            # as ``acontext_version``) and the stored response together.
            found = await aguarded(
                READING,
                lambda: lookup(context, context_request.values, key, context_request.tokens),
            )
        except (CacheUnavailable, TypeError):
            key = None
        else:
            version = found.version
            if found.hit and await _allowed(spec, request):
                if context_read.receivers:
                    report_endpoint_hit(spec, context_request.values, scope, found.expires)
                etag, content = found.value
                return respond(request, spec, context_request, content, etag)

    result = await schema.execute(
        spec.operation.document,
        variable_values=spec.variables(context_request.values),
        context_value=StrawberryDjangoContext(
            request=await _executing_request(request, policy.cache),
            response=TemporalHttpResponse(),  # type: ignore[arg-type]
        ),
        operation_name=spec.operation.name,
        allowed_operation_types=(OperationType.QUERY,),
    )
    content = json.dumps(
        process_result(result), cls=DjangoJSONEncoder, separators=(",", ":")
    ).encode()
    if result.errors:
        return _json(200, content, {"Cache-Control": "no-store"})
    etag = etag_of(content)
    if key is not None and version is not None:
        stored_key, stored_version, ttl = key, version, policy.ttl
        try:
            await aguarded(
                "storing a context response",
                lambda: store_entry(stored_key, stored_version, (etag, content), ttl),
            )
        except CacheUnavailable:
            pass
    return respond(request, spec, context_request, content, etag)


def etag_of(content: bytes) -> str:
    """The strong ETag of a successful response's bytes."""
    return '"' + hashlib.sha256(content).hexdigest()[:40] + '"'


def _json(
    status: int, content: bytes, headers: dict[str, str], *, public: bool = False
) -> HttpResponse:
    response = HttpResponse(
        content, status=status, content_type="application/json", headers=headers
    )
    if public:
        make_public(response)
    return response


async def _user_scope(request: HttpRequest) -> list[Any]:
    if hasattr(request, "auser"):
        request.user = await request.auser()
    return user_scope(request)


async def _executing_request(request: HttpRequest, cache: str) -> HttpRequest:
    """The request the functions see: anonymous and cookie-less for public contexts.

    A public response is shared by every user, so nothing of the caller's identity may
    reach it, and nothing the functions do to the session may produce a cookie.
    """
    if cache != "public":
        if hasattr(request, "auser"):
            request.user = await request.auser()
        return request
    anonymous = copy.copy(request)
    anonymous.META = {
        k: v for k, v in request.META.items() if k not in ("HTTP_COOKIE", "HTTP_AUTHORIZATION")
    }
    anonymous.COOKIES = {}
    anonymous.user = anonymous_user()
    anonymous.session = SessionBase()  # type: ignore[attr-defined]

    async def auser() -> Any:
        return anonymous_user()

    anonymous.auser = auser  # type: ignore[attr-defined]
    return anonymous


async def _allowed(spec: ContextOperation, request: HttpRequest) -> bool:
    """Auth is checked before stored bytes are served, exactly as the resolvers would."""
    for entry in spec.entries:
        auth = entry.options.auth
        if auth in (None, False):
            continue
        try:
            if callable(auth):  # may query the database: off the event loop
                await sync_to_async(check_auth, thread_sensitive=True)(auth, request)
            else:
                check_auth(auth, request)
        except ClientError:
            return False  # execute instead: the response carries the proper error
    return True
