"""The SSE tests' server: sessions in a shared file database, small limits."""

from tests.channels_app.session_settings import *  # noqa: F403

MIZAN = {
    "WS_MAX_SUBSCRIPTIONS": 2,
    "WS_CONNECTION_INIT_TIMEOUT": 1,
    "WS_MAX_MESSAGE_SIZE": 2048,
}
