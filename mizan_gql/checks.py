"""The system checks of mizan_gql, by the names the documentation gives them.

Each lives with what it checks (the settings in ``conf_checks``, the registry in
``schema.checks``, each feature's in the feature) and is registered by ``AppConfig.ready()``
through the features' plugins (the ``*_deploy`` ones and ``check_deploy_settings`` only run with
``manage.py check --deploy``); ids are stable and documented in docs/checks.md. Checks are
plain functions, so a test can call them::

    from mizan_gql.checks import check_registry

    def test_order_is_valid():
        with use_registry():
            client(order)
            assert check_registry() == []
"""

from .channels.checks import check_channel_layers, check_channel_layers_deploy, check_group_expiry
from .conf_checks import check_deploy_settings, check_settings
from .contexts.checks import check_contexts, check_middleware
from .contexts.deploy_checks import check_context_cache_deploy
from .edge.checks import check_edge_settings
from .persisted.checks import check_apq_eviction, check_apq_store_deploy
from .schema.checks import check_registry

__all__ = [
    "check_apq_eviction",
    "check_apq_store_deploy",
    "check_channel_layers",
    "check_channel_layers_deploy",
    "check_context_cache_deploy",
    "check_contexts",
    "check_deploy_settings",
    "check_edge_settings",
    "check_group_expiry",
    "check_middleware",
    "check_registry",
    "check_settings",
]
