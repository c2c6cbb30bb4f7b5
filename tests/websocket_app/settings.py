"""The test project served by a composed ASGI application (tests/websocket/test_asgi.py)."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.websocket_app.urls"
