"""Over the WebSocket too, a document of several operations needs an ``operationName``
(GraphQL's GetOperation), rather than running its first operation."""

from __future__ import annotations

import logging

import pytest

from tests.channels.conftest import LEGACY, TRANSPORT, until_listening
from tests.channels_app.mizan_clients import NewsChannel

pytestmark = pytest.mark.django_db(transaction=True)

SEVERAL = "subscription S { newsChannel { headline } } query Q { __typename }"


@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_several_operations_without_an_operation_name_are_a_coded_error(
    sockets, protocol, caplog
):
    socket = await sockets(protocol)
    kind = "subscribe" if protocol == TRANSPORT else "start"
    with caplog.at_level(logging.WARNING):
        await socket.send({"type": kind, "id": "1", "payload": {"query": SEVERAL}})
        message = await socket.receive()
    assert message["type"] == "error" and message["id"] == "1"
    errors = message["payload"] if protocol == TRANSPORT else [message["payload"]]
    assert [e["extensions"]["code"] for e in errors] == ["BAD_REQUEST"]
    assert "Must provide operation name" in errors[0]["message"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    named = {"query": SEVERAL, "operationName": "S"}
    await socket.send({"type": kind, "id": "2", "payload": named})
    await until_listening(1)  # named, the subscription runs
    await NewsChannel.abroadcast("news", {"headline": "h"})
    assert await socket.next("2") == {"data": {"newsChannel": {"headline": "h"}}}
