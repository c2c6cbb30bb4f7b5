"""Django views of the contexts tests: pages rendering contexts, and plain views."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse

import mizan_gql
from mizan_gql import invalidate


@mizan_gql.view(context="ctx_user")
def profile_page(request, user_id: int):
    """A public page: it hydrates public contexts only, so an edge may cache it."""
    return render(request, "contexts_app/public_page.html", {"title": f"profile {user_id}"})


@mizan_gql.view(context="ctx_user")
async def async_profile_page(request, user_id: int):
    return TemplateResponse(request, "contexts_app/page.html", {"title": f"async {user_id}"})


@mizan_gql.view(context="ctx_user")
async def async_render_page(request, user_id: int):
    """render() called on the event loop: hydration runs its operations on a helper thread."""
    return render(request, "contexts_app/page.html", {"title": f"render {user_id}"})


@mizan_gql.view(context="ctx_note")
def note_page(request, topic: str):
    return render(request, "contexts_app/page.html", {"title": topic})


@mizan_gql.view(context="ctx_user")
def missing_page(request, user_id: int):
    return HttpResponse("no such profile", status=404)


@mizan_gql.view(context="ctx_user")
def regex_profile(request, user_id: str):
    return HttpResponse("regex")


@mizan_gql.view(context="ctx_user")
def unnamed_regex_profile(request, user_id: str):
    return HttpResponse("unnamed")


@mizan_gql.view(context="ctx_user")
def unrouted_profile(request, user_id: int):
    return HttpResponse("unrouted")


def tag_page(request):
    """Asks for a context in the template: {% mizan_hydrate "ctx_note" topic=... %}."""
    return render(request, "contexts_app/tag.html", {"topic": request.GET.get("topic", "")})


def rename_view(request, user_id: int):
    """A plain view changing data: InvalidationMiddleware reports the invalidation."""
    invalidate("ctx_user", user_id=user_id)
    return JsonResponse({"ok": True})


@mizan_gql.view(context="ctx_user")
def rename_page(request, user_id: int):
    """A @view that invalidates: the decorator reports it (no middleware needed)."""
    invalidate("ctx_user", user_id=user_id)
    return HttpResponse("renamed")
