"""The URLconf to include, under any prefix: ``path("graphql", include("mizan_gql.urls"))``
serves /graphql and /graphql/, ``path("api/graphql/", include("mizan_gql.urls"))`` serves
/api/graphql/.

A plugin's URL patterns are written relative to the GraphQL path, as Django's usually are
(``re_path(r"^ctx/(?P<context>...)/$", ...)``), and served one slash below it whatever the
prefix: ``/graphql/ctx/user/`` and ``/api/graphql/ctx/user/``, never
``/api/graphql//ctx/user/``. Two separators place them: one consumes the slash a prefix
without a trailing slash leaves in the path, the other matches after a prefix that ends with
one. Their lookbehinds are ignored when Django resolves (a pattern sees only what follows
the prefix) but checked when it reverses (against the whole URL), so ``reverse()`` - and the
edge manifest, the generated client and the purges built with it - picks the one that gives
a single slash.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import include, path, re_path

from .http.graphql_view import GraphQLView
from .plugins import get_plugins
from .sse import graphql_stream

app_name = "mizan_gql"

# After a prefix that does not end with "/" ("graphql"): the path goes on with one.
AFTER_BARE_PREFIX = r"^(?<!/)/"
# After a prefix that ends with "/" ("api/graphql/"), or the root: the path goes on at once.
AFTER_SLASHED_PREFIX = r"^(?<![^/])"


def below_graphql_path(patterns: Iterable[Any]) -> list[Any]:
    """``patterns`` (relative, like ``path("ctx/<context>/", ...)``) one slash below the
    GraphQL path, whatever prefix includes this URLconf."""
    below: Sequence[Any] = list(patterns)
    if not below:
        return []
    return [
        re_path(AFTER_BARE_PREFIX, include(below)),
        re_path(AFTER_SLASHED_PREFIX, include(below)),
    ]


urlpatterns = [
    re_path(r"^(?:/)?$", GraphQLView.as_view(), name="graphql"),
    # GraphQL over Server-Sent Events (graphql-sse): /graphql/stream.
    *below_graphql_path(
        [
            path("stream", graphql_stream, name="graphql_stream"),
            *(pattern for plugin in get_plugins() for pattern in plugin.urlpatterns),
        ]
    ),
]
