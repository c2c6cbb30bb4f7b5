"""An operation over ``WS_MAX_SUBSCRIPTIONS`` is refused with a coded error, on both
subprotocols, and the socket stays usable."""

from __future__ import annotations

import logging

import pytest

from tests.channels.conftest import LEGACY, TRANSPORT, until_listening

pytestmark = pytest.mark.django_db(transaction=True)

NEWS = "subscription { newsChannel { headline } }"


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_the_subscription_limit_error_has_a_code(sockets, settings, protocol, caplog):
    settings.MIZAN = {"WS_MAX_SUBSCRIPTIONS": 2}
    socket = await sockets(protocol)
    await socket.subscribed("1", NEWS)
    await socket.subscribed("2", NEWS)
    with caplog.at_level(logging.WARNING):
        await socket.subscribe("3", NEWS)
        refused = await socket.receive()
    assert refused["type"] == "error" and refused["id"] == "3"
    errors = refused["payload"] if protocol == TRANSPORT else [refused["payload"]]
    assert errors == [
        {"message": "Subscription limit reached", "extensions": {"code": "TOO_MANY_SUBSCRIPTIONS"}}
    ]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    await socket.complete("1")
    if protocol == LEGACY:
        assert (await socket.receive())["type"] == "complete"
    await until_listening(1)
    await socket.subscribed("4", NEWS)  # a completed one freed its place
