"""Trusted mode holds over the WebSocket too, and refuses with a GraphQL error."""

from __future__ import annotations

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.core.asgi import get_asgi_application
from django.test import override_settings

from mizan_gql import get_schema, wrap_asgi
from mizan_gql.persisted import operations_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _run(query: str, variables: dict | None = None) -> list[dict]:
    communicator = WebsocketCommunicator(
        wrap_asgi(get_asgi_application()),
        "/graphql",
        headers=[(b"host", b"testserver"), (b"origin", b"http://testserver")],
        subprotocols=["graphql-transport-ws"],
    )
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    try:
        await communicator.send_to(text_data=json.dumps({"type": "connection_init"}))
        assert json.loads(await communicator.receive_from(10))["type"] == "connection_ack"
        payload = {"query": query, "variables": variables or {}}
        message = {"type": "subscribe", "id": "1", "payload": payload}
        await communicator.send_to(text_data=json.dumps(message))
        messages = [json.loads(await communicator.receive_from(10))]
        while messages[-1]["type"] == "next":
            messages.append(json.loads(await communicator.receive_from(10)))
        return messages
    finally:
        await communicator.disconnect()


@override_settings(MIZAN={"PERSISTED_QUERIES": "trusted"})
async def test_trusted_mode_over_websocket():
    refused = await _run("query { pqTree(depth: 1) { label } }")
    assert refused[-1]["type"] == "error"
    assert refused[-1]["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"

    echo = operations_for(get_schema()).fields["echo"]
    answered = await _run(echo.document, {"text": "ws"})
    assert answered[0]["type"] == "next"
    assert answered[0]["payload"]["data"] == {"echo": {"message": "ws"}}
