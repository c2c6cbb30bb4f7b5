"""Fixtures of the WebSocket transport's tests: sockets to the app of tests.channels_app."""

from tests.channels.conftest import session_cookie, sockets  # noqa: F401  (fixtures)
