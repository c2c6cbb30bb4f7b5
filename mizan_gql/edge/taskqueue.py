"""Django's task framework, wherever it comes from: the one module that imports it.

Django 6.0 ships it as ``django.tasks``; on Django 5.2 the ``django-tasks`` package (the
backport it grew from, module ``django_tasks``) provides the same API. Both read the
``TASKS`` setting, whose default is the immediate backend, and both raise a subclass of
``ImproperlyConfigured`` for an alias they do not know.
"""

from __future__ import annotations

from typing import Any

try:  # Django 6.0+
    from django.tasks import task, task_backends
except ImportError:  # Django 5.2: the django-tasks package
    from django_tasks import task, task_backends  # type: ignore[no-redef,assignment]

__all__ = ["backend_supports_defer", "task", "task_backends"]


def backend_supports_defer(alias: str) -> bool:
    """Whether the task backend ``alias`` runs tasks later (``run_after``) by itself."""
    backend: Any = task_backends[alias]
    return bool(backend.supports_defer)
