"""The admin's "Contexts" page: read-only, plus an audited invalidate action.

Staff users with ``mizan_gql_observability.view_context`` see every context with its
policy, URLs, tags, the counters of the last hour and the latest invalidations; those with
``invalidate_context`` may invalidate one entry or a whole context, which is written to
Django's admin log (``LogEntry``) like any change made in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from ..contexts import invalidate, invalidation_source
from ..registry.core import get_registry
from .catalog import catalog
from .models import Context

INVALIDATE_PERMISSION = "mizan_gql_observability.invalidate_context"


def _may_invalidate(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.has_perm(INVALIDATE_PERMISSION))


@admin.register(Context)
class ContextAdmin(admin.ModelAdmin):
    """Lists the registry's contexts (there is no table behind :class:`Context`)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "invalidate/",
                self.admin_site.admin_view(require_POST(self.invalidate_view)),
                name=f"{info[0]}_{info[1]}_invalidate",
            )
        ]
        return own + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Contexts",
            "opts": self.opts,
            "contexts": catalog(),
            "can_invalidate": _may_invalidate(request),
            **(extra_context or {}),
        }
        return TemplateResponse(
            request, "admin/mizan_gql_observability/context/change_list.html", context
        )

    def invalidate_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_view_permission(request) and _may_invalidate(request)):
            raise PermissionDenied
        changelist = reverse(f"{self.admin_site.name}:mizan_gql_observability_context_changelist")
        name = request.POST.get("context", "")
        contexts = get_registry().contexts()
        if name not in contexts:
            messages.error(request, f"There is no context named {name!r}.")
            return HttpResponseRedirect(changelist)
        params = {
            p.name: request.POST[f"param-{p.name}"]
            for p in contexts[name][0].params
            if request.POST.get(f"param-{p.name}", "") != ""
        }
        if request.POST.get("whole"):
            params = {}
        try:
            with invalidation_source(f"admin {request.user.get_username()}"):
                entry = invalidate(name, **params)
        except ValueError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(changelist)
        self.log_change(request, Context(name=name), f"Invalidated {entry}")
        messages.success(request, f"Invalidated {entry}.")
        return HttpResponseRedirect(changelist)
