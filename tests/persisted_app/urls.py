"""The test URLconf plus a project's own route to the context view (a positional group)."""

from django.urls import re_path

from mizan_gql.http import context_view
from tests.urls import urlpatterns as base

urlpatterns = [*base, re_path(r"^own/ctx/(\w+)/$", context_view)]
