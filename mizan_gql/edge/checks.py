"""System checks of the edge settings (ids ``mizan_gql.E060``, ``E062``, ``E063``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from ..conf import mizan_settings
from .purgers import load_purger
from .tasks import purge_task

__all__ = ["check_edge_settings"]


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
    errors.extend(_check_task_backend())
    errors.extend(_check_retries())
    return errors


def _check_task_backend() -> list[checks.CheckMessage]:
    alias, queue = mizan_settings.EDGE_TASK_BACKEND, mizan_settings.EDGE_TASK_QUEUE
    if not isinstance(alias, str) or not isinstance(queue, str):
        return []  # mizan_gql.E002
    try:
        purge_task().using(backend=alias, queue_name=queue)
    except ImproperlyConfigured as exc:
        problem = f"is not a usable task backend ({exc})"
    except Exception as exc:  # the backend refuses the task: a queue it does not serve
        problem = f"does not take the edge purge task on the queue {queue!r} ({exc})"
    else:
        return []
    return [
        checks.Error(
            f"MIZAN['EDGE_TASK_BACKEND'] {alias!r} {problem}.",
            hint="Name an alias of the TASKS setting (default: 'default') and a queue it "
            "serves (MIZAN['EDGE_TASK_QUEUE'], default: 'default').",
            id="mizan_gql.E062",
        )
    ]


def _check_retries() -> list[checks.CheckMessage]:
    retries = mizan_settings.EDGE_PURGE_RETRIES
    backoff = mizan_settings.EDGE_PURGE_BACKOFF
    longest = mizan_settings.EDGE_PURGE_BACKOFF_MAX
    numbers = (int, float)
    if not all(
        isinstance(v, numbers) and not isinstance(v, bool) for v in (retries, backoff, longest)
    ):
        return []  # mizan_gql.E002
    if retries >= 0 and 0 < backoff <= longest:
        return []
    return [
        checks.Error(
            f"Edge purge retries are misconfigured: EDGE_PURGE_RETRIES={retries!r}, "
            f"EDGE_PURGE_BACKOFF={backoff!r}, EDGE_PURGE_BACKOFF_MAX={longest!r}.",
            hint="EDGE_PURGE_RETRIES must be 0 or more, and 0 < EDGE_PURGE_BACKOFF <= "
            "EDGE_PURGE_BACKOFF_MAX (seconds).",
            id="mizan_gql.E063",
        )
    ]
