"""Pages of the demo: Django renders the shell and hydrates contexts, React renders the rest."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

import mizan_gql

from .channels import ROOM_PATTERN
from .models import Profile


def page(request: HttpRequest, name: str, title: str, **props: object) -> HttpResponse:
    """The page shell: React mounts ``name`` with ``props`` (see frontend/src/main.tsx)."""
    return render(request, "core/page.html", {"page": name, "title": title, "props": props})


@mizan_gql.view(context="people")
def home(request: HttpRequest) -> HttpResponse:
    # The greeting widget starts with the visitor's name; <GreetProvider> fetches its context.
    greet_name = request.user.get_username() if request.user.is_authenticated else "world"
    return page(request, "home", "Home", greetName=greet_name)


@mizan_gql.view(context="user")
def profile(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        shown = Profile.objects.get(user_id=user_id)
    except Profile.DoesNotExist:
        raise Http404("No such profile") from None
    return page(request, "profile", shown.display_name, userId=user_id)


def contact(request: HttpRequest) -> HttpResponse:
    return page(request, "contact", "Contact us")


@login_required
def chat(request: HttpRequest, room: str) -> HttpResponse:
    if not re.match(ROOM_PATTERN, room) or len(room) > 40:
        raise Http404("Room names use lower-case letters, digits and dashes")
    return page(request, "chat", f"#{room}", room=room)


def chat_lobby(request: HttpRequest) -> HttpResponse:
    return redirect("chat", room="lobby")
