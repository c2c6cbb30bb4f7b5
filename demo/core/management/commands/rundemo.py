"""Prepare the demo (migrations, seed data, front end) and serve it over ASGI with daphne."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from core import frontend
from core.models import ChatMessage, Profile

SEED_USERS = [
    ("alice", "alice-password", "Alice Liddell", "Curiouser and curiouser.", True),
    ("bob", "bob-password", "Bob Builder", "Can we fix it? Yes we can!", False),
]
SEED_CHAT = [
    ("bob", "Hi, and welcome to the lobby!"),
    ("alice", "Messages here arrive live over a WebSocket. Open a second browser and try it."),
]


class Command(BaseCommand):
    help = (
        "Migrate, seed the demo users and data, build the front end and serve the demo "
        "on 127.0.0.1:8000 over ASGI (daphne: HTTP and WebSockets)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Only prepare; do not serve.")
        parser.add_argument(
            "--no-build",
            action="store_true",
            help="Do not build the front end (no Node.js needed; the pages then need an "
            "earlier build).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.seed()
        if not options["no_build"]:
            frontend.build(self.stdout)
        if not options["no_serve"]:
            # `daphne` comes first in INSTALLED_APPS, so this runserver serves ASGI. Static
            # files (the bundle) are served even with DJANGO_DEBUG=0: this is a demo server.
            call_command(
                "runserver", options["addrport"], use_reloader=False, insecure_serving=True
            )

    @transaction.atomic
    def seed(self) -> None:
        users = get_user_model()
        for username, password, display_name, bio, staff in SEED_USERS:
            user, created = users.objects.get_or_create(
                username=username, defaults={"is_staff": staff}
            )
            if created:
                user.set_password(password)
                user.save()
            Profile.objects.get_or_create(
                user=user, defaults={"display_name": display_name, "bio": bio}
            )
        if not ChatMessage.objects.filter(room="lobby").exists():
            for username, text in SEED_CHAT:
                ChatMessage.objects.create(
                    room="lobby", author=users.objects.get(username=username), text=text
                )
        self.stdout.write(f"Seeded users: {', '.join(u for u, *_ in SEED_USERS)}")
