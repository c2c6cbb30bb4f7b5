"""ASGI entry point: Django over HTTP, GraphQL subscriptions over WebSocket at /graphql."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings")

django_application = get_asgi_application()

from mizan_gql import wrap_asgi  # noqa: E402  (after Django is set up)

application = wrap_asgi(django_application)
