"""System checks of the edge settings (ids ``mizan_gql.E060``, ``mizan_gql.W061``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .purgers import load_purger

__all__ = ["check_edge_settings"]

MIDDLEWARE = "mizan_gql.edge.EdgePurgeMiddleware"
_MIDDLEWARE_PATHS = (MIDDLEWARE, "mizan_gql.edge.middleware.EdgePurgeMiddleware")


def check_edge_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    user = getattr(settings, "MIZAN", None)
    purgers = user.get("EDGE_PURGERS") if isinstance(user, dict) else None
    if not isinstance(purgers, (list, tuple)) or not purgers:
        return []  # absent, or a wrong type (reported as mizan_gql.E002)
    errors: list[checks.CheckMessage] = []
    for index, item in enumerate(purgers):
        try:
            load_purger(item)
        except ImproperlyConfigured as exc:
            errors.append(
                checks.Error(
                    f"MIZAN['EDGE_PURGERS'][{index}]: {exc}",
                    hint="Use a dotted path such as 'mizan_gql.edge.VarnishPurger', or "
                    "{'BACKEND': 'mizan_gql.edge.VarnishPurger', 'OPTIONS': {'servers': "
                    "['http://127.0.0.1:6081']}}.",
                    id="mizan_gql.E060",
                )
            )
    if not any(path in _MIDDLEWARE_PATHS for path in getattr(settings, "MIDDLEWARE", [])):
        errors.append(
            checks.Warning(
                "MIZAN['EDGE_PURGERS'] is set but EdgePurgeMiddleware is not in MIDDLEWARE, "
                "so requests that invalidate contexts purge nothing.",
                hint=f"Add {MIDDLEWARE!r} at the top of MIDDLEWARE.",
                id="mizan_gql.W061",
            )
        )
    return errors
