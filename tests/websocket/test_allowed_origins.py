"""``wrap_asgi(app, allowed_origins=[...])``: the origins a GraphQL socket may come from,
instead of those of ``ALLOWED_HOSTS``."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.core.asgi import get_asgi_application

from mizan_gql import wrap_asgi
from tests.channels.conftest import HANDSHAKE_REFUSED, TRANSPORT

# An accepted socket may close the thread's database connection (Channels does on some
# releases), like every WebSocket test.
pytestmark = pytest.mark.django_db(transaction=True)

ORIGINS = ["https://app.example.com", ".example.org"]


async def handshake(app, origin: bytes | None) -> tuple[bool, object]:
    headers = [(b"host", b"testserver")]
    if origin is not None:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(app, "/graphql", headers, subprotocols=[TRANSPORT])
    result = await communicator.connect(timeout=15)
    await communicator.disconnect()
    return result


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        (b"https://app.example.com", True),
        (b"https://shop.example.org", True),
        (b"https://example.org", True),
        (b"http://localhost:3000", False),  # in ALLOWED_HOSTS, not in allowed_origins
        (b"http://testserver", False),
        (b"https://app.example.com.evil.example", False),
        (b"null", False),
        (None, False),
    ],
)
async def test_allowed_origins_replace_allowed_hosts(origin, accepted):
    app = wrap_asgi(get_asgi_application(), allowed_origins=ORIGINS)
    expected = (True, TRANSPORT) if accepted else (False, HANDSHAKE_REFUSED)
    assert await handshake(app, origin) == expected


def test_allowed_origins_must_be_a_list():
    with pytest.raises(TypeError, match=r"write \['https://app.example.com'\]"):
        wrap_asgi(get_asgi_application(), allowed_origins="https://app.example.com")
