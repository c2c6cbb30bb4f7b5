"""The contexts as a feature plugin: the cache around context functions, the response
headers of what an operation read or invalidated, the GET endpoint and their checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import re_path

from ..plugins import CallWrapper, Plugin
from .cache import cached_call, is_cached_call
from .checks import check_contexts, check_middleware
from .endpoint import context_view
from .extension import ContextsExtension

__all__ = ["ContextsPlugin"]


class ContextsPlugin(Plugin):
    """Cached context fields, invalidation reports and ``/graphql/ctx/<context>/``."""

    order = 60

    def extensions(self) -> Sequence[Any]:
        return [ContextsExtension]

    def call_wrappers(self) -> Sequence[CallWrapper]:
        return [CallWrapper(cached_call, is_cached_call)]

    def checks(self) -> Sequence[Any]:
        return [check_contexts, check_middleware]

    def urlpatterns(self) -> Sequence[Any]:
        # After the include prefix, which has no trailing slash (see mizan_gql.urls).
        return [re_path(r"^(?:/)ctx/(?P<context>[A-Za-z_]\w*)/$", context_view, name="context")]
