"""Include with ``path("graphql", include("mizan_gql.urls"))``: serves /graphql and /graphql/.

The patterns start after the include prefix, which has no trailing slash, so they are
regular expressions that accept the slash optionally. Features add theirs through their
plugins (the contexts' ``ctx/<context>/``).
"""

from django.urls import re_path

from .http.graphql_view import GraphQLView
from .plugins import get_plugins

app_name = "mizan_gql"

urlpatterns = [
    re_path(r"^(?:/)?$", GraphQLView.as_view(), name="graphql"),
    *(pattern for plugin in get_plugins() for pattern in plugin.urlpatterns),
]
