"""The request of a WebSocket operation: Django's, built from the handshake."""

from __future__ import annotations

import io

from django.core.handlers.asgi import ASGIRequest

from mizan_gql.request import WebSocketRequest

HANDSHAKE = {
    "type": "websocket",
    "path": "/graphql",
    "raw_path": b"/graphql",
    "query_string": b"a=1",
    "root_path": "",
    "headers": [
        (b"host", b"testserver"),
        (b"origin", b"https://example.com"),
        (b"user-agent", b"pytest-ws"),
        (b"cookie", b"sessionid=abc; theme=dark"),
        (b"x-forwarded-for", b"10.0.0.1"),
        (b"x-forwarded-for", b"10.0.0.2"),
    ],
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 8000),
    "subprotocols": ["graphql-transport-ws"],
}


def test_its_meta_is_djangos_for_the_handshake():
    request = WebSocketRequest(HANDSHAKE)
    expected = ASGIRequest({**HANDSHAKE, "type": "http", "method": "GET"}, io.BytesIO())
    assert request.META == expected.META
    assert request.META["HTTP_X_FORWARDED_FOR"] == "10.0.0.1,10.0.0.2"
    assert request.headers["User-Agent"] == "pytest-ws"
    assert request.COOKIES == {"sessionid": "abc", "theme": "dark"}
    assert request.get_host() == "testserver"
    assert request.GET["a"] == "1"
    assert request.scope is HANDSHAKE  # hooks read the socket's own scope


def test_a_meta_written_to_is_kept():
    request = WebSocketRequest(HANDSHAKE)
    request.META["MIZAN_TEST"] = "kept"
    assert request.META["MIZAN_TEST"] == "kept"
    assert request.META["HTTP_ORIGIN"] == "https://example.com"
