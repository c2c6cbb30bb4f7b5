"""Reading the usual GraphQL request without building what only unusual ones need.

Strawberry's ``parse_http_body`` builds the request's headers mapping, parses its content
type and looks for a streaming transport before it reads anything; its request adapter
parses the query string again for every look at it. For the two requests a client sends
all day - a GET whose ``Accept`` is plain, and a POST of ``application/json`` - the view
reads them here, through the same hooks (``parse_query_params``, ``parse_json``), and
leaves everything else (batches, uploads, streaming, a body or parameters of the wrong
shape, whose errors Strawberry words) to Strawberry's reading.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from strawberry.http import GraphQLRequestData

from ..constants import GRAPHQL_RESPONSE_JSON

__all__ = ["PLAIN_ACCEPTS", "plain_request", "query_params"]

# The usual Accept headers, known to allow a JSON answer and no streaming.
PLAIN_ACCEPTS = frozenset(("*/*", "application/json", GRAPHQL_RESPONSE_JSON))
# Query strings seen lately (persisted GETs repeat theirs): their parameters.
MAX_QUERY_STRINGS = 1024
_query_strings: dict[str, dict[str, str]] = {}


def query_params(request: HttpRequest) -> dict[str, str]:
    """The query string's parameters (the last value of a repeated one), as Strawberry's
    request adapter gives them, parsed once per distinct query string."""
    raw = request.META.get("QUERY_STRING", "")
    params = _query_strings.get(raw)
    if params is None:
        params = request.GET.dict()
        if len(_query_strings) >= MAX_QUERY_STRINGS:
            _query_strings.clear()
        _query_strings[raw] = params
    return params


def plain_request(view: Any, request: HttpRequest) -> GraphQLRequestData | None:
    """What a usual request asks, or None to let Strawberry read it."""
    if request.META.get("HTTP_ACCEPT", "*/*") not in PLAIN_ACCEPTS:
        return None
    if request.method == "GET":
        data = view.parse_query_params(query_params(request))
    elif request.method == "POST" and request.content_type == "application/json":
        data = view.parse_json(request.body)
    else:
        return None
    if not isinstance(data, dict):
        return None  # a batch
    query, variables, extensions = data.get("query"), data.get("variables"), data.get("extensions")
    if not (
        isinstance(query, (str, type(None)))
        and isinstance(variables, (dict, type(None)))
        and isinstance(extensions, (dict, type(None)))
    ):
        return None  # Strawberry's reading says what is wrong
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=data.get("operationName"),
        extensions=extensions,
        protocol="http",
    )
