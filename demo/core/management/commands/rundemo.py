"""Prepare the demo (migrations, seed data) and serve it over ASGI with daphne."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.models import Profile

SEED_USERS = [
    ("alice", "alice-password", "Alice Liddell", "Curiouser and curiouser.", True),
    ("bob", "bob-password", "Bob Builder", "Can we fix it?", False),
]


class Command(BaseCommand):
    help = "Migrate, seed demo users and serve the demo on 127.0.0.1:8000 (ASGI)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and seed.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.seed()
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)

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
        self.stdout.write(f"Seeded users: {', '.join(u for u, *_ in SEED_USERS)}")
