"""A third-party app's plugin, as docs/architecture.md describes it: every part a plugin adds.

- a schema extension (with ``prepared_query``: prepared queries run its hooks too) that
  names the operation in ``extensions.audit``;
- a contributor adding ``Query.auditLog``;
- a call wrapper recording every mutation of a server function;
- a system check;
- a URL pattern relative to the GraphQL path, served one slash below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import strawberry
from django.conf import settings
from django.core import checks
from django.http import JsonResponse
from django.urls import re_path
from strawberry.extensions import SchemaExtension

from mizan_gql.plugins import CallWrapper, Plugin
from mizan_gql.registry import SchemaContributor

# What the call wrapper recorded: "<function>(<arguments>)", oldest first.
AUDIT: list[str] = []


class AuditExtension(SchemaExtension):
    """Names every operation in ``extensions.audit``."""

    prepared_query = "hooks"

    def on_operation(self) -> Iterator[None]:
        self.operation: str | None = None
        yield
        self.operation = self.execution_context.operation_name

    def get_results(self) -> dict[str, Any]:
        return {"audit": {"operation": getattr(self, "operation", None)}}


def audit_log() -> list[str]:
    return list(AUDIT)


class AuditFields(SchemaContributor):
    def query_fields(self) -> dict[str, Any]:
        return {"audit_log": strawberry.field(resolver=audit_log, name="auditLog")}


async def audited(entry: Any, request: Any, values: dict[str, Any], call: Any) -> Any:
    result = await call()
    shown = ", ".join(f"{name}={value!r}" for name, value in sorted(values.items()))
    AUDIT.append(f"{entry.name}({shown})")
    return result


def check_retention(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "AUDIT_RETENTION_DAYS", 30) > 0:
        return []
    return [
        checks.Warning(
            "AUDIT_RETENTION_DAYS is 0: the audit log keeps nothing.",
            hint="Set AUDIT_RETENTION_DAYS to the days the log must cover.",
            id="plugin_app.W001",
        )
    ]


def audit_view(request: Any) -> JsonResponse:
    return JsonResponse({"audit": AUDIT})


AUDIT_PLUGIN = Plugin(
    name="audit",
    order=200,
    extensions=[AuditExtension],
    contributors=[AuditFields],
    call_wrappers=[CallWrapper(audited, applies=lambda entry: entry.is_mutation)],
    checks=[check_retention],
    urlpatterns=[re_path(r"^audit/$", audit_view, name="audit")],
)
