"""``check_registry``: build the schema as the first request would, report every mistake.

Ids are stable and documented in docs/checks.md.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from ..conf_checks import check_settings
from ..exceptions import ConfigurationError, SchemaBuildError
from ..registry.core import get_registry
from ..registry.validation import registry_problems
from .builder import build_schema

__all__ = ["check_registry"]


def check_registry(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Build the schema (as the first request would) and report every registry mistake."""
    if check_settings():
        return []  # settings errors first; the schema depends on them
    registry = get_registry()
    warnings = [p.as_check_message() for p in registry_problems(registry) if ".W" in p.id]
    try:
        if not registry.frozen:
            build_schema()
            # Checks must not freeze the registry for code that registers later;
            # the real build happens on the first request.
            registry.unfreeze()
    except SchemaBuildError as exc:
        return [*warnings, *(p.as_check_message() for p in exc.problems)]
    except ConfigurationError as exc:
        return [checks.Error(str(exc), hint="Fix the dotted path in MIZAN.", id="mizan_gql.E005")]
    except Exception as exc:  # never a traceback from `manage.py check`
        return [
            *warnings,
            checks.Error(
                f"The GraphQL schema cannot be built: {type(exc).__name__}: {exc}",
                hint="Run `manage.py export_schema --traceback` to see where it fails.",
                id="mizan_gql.E030",
            ),
        ]
    return warnings
