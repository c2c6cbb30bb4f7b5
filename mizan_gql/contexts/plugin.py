"""The contexts as a feature plugin: the cache around context functions, the response
headers of what an operation read or invalidated, the GET endpoint, their checks and the
receivers of the model changes contexts depend on (``depends_on=``)."""

from django.urls import re_path

from ..plugins import CallWrapper, Plugin
from .cache import cached_call, is_cached_call
from .checks import check_contexts, check_middleware
from .deploy_checks import check_context_cache_deploy
from .endpoint import ENDPOINT_ROUTE, context_view
from .extension import ContextsExtension
from .model_signals import connect_model_receivers

__all__ = ["CONTEXTS"]

CONTEXTS = Plugin(
    name="contexts",
    order=60,
    extensions=[ContextsExtension],
    call_wrappers=[CallWrapper(cached_call, is_cached_call)],
    checks=[check_contexts, check_middleware],
    deploy_checks=[check_context_cache_deploy],
    # Relative to the GraphQL path, wherever it is (see mizan_gql.urls).
    urlpatterns=[re_path(ENDPOINT_ROUTE, context_view, name="context")],
    connect=connect_model_receivers,
)
