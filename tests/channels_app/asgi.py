"""The ASGI application a user writes (SPEC section 1), for the WebSocket tests."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from mizan_gql import wrap_asgi  # noqa: E402

application = wrap_asgi(get_asgi_application())
