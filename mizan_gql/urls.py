"""Include with ``path("graphql", include("mizan_gql.urls"))``: serves /graphql and /graphql/.

The patterns start after the include prefix, which has no trailing slash, so they are
regular expressions that accept the slash optionally.
"""

from django.urls import re_path

from .http.context_view import context_view
from .http.views import GraphQLView

app_name = "mizan_gql"

urlpatterns = [
    re_path(r"^(?:/)?$", GraphQLView.as_view(), name="graphql"),
    re_path(r"^(?:/)ctx/(?P<context>[A-Za-z_]\w*)/$", context_view, name="context"),
]
