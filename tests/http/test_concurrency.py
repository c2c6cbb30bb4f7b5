"""Sync functions run in a worker thread under ASGI: the event loop keeps serving."""

import asyncio
import json

import pytest

from tests.asgi import application
from tests.testapp import mizan_clients

pytestmark = pytest.mark.django_db(transaction=True)


async def asgi_post(query: str) -> tuple[int, dict]:
    """One POST /graphql through Django's real ASGI handler (as daphne/uvicorn call it)."""
    body = json.dumps({"query": query}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive() -> dict:
        if messages:
            return messages.pop()
        await asyncio.sleep(3600)  # the client stays connected; Django cancels this
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await application(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(content)


async def test_a_blocked_sync_function_does_not_block_other_requests():
    mizan_clients.SIGNAL.clear()
    mizan_clients.WAITING.clear()
    waiter = asyncio.create_task(asgi_post("{ waitForSignal }"))
    # The loop keeps running while waitForSignal blocks its thread...
    for _ in range(500):
        if mizan_clients.WAITING.is_set():
            break
        await asyncio.sleep(0.01)
    assert mizan_clients.WAITING.is_set(), "waitForSignal never started"
    assert not waiter.done()
    # ...and serves a second request whose sync function releases the first.
    assert await asyncio.wait_for(asgi_post("{ sendSignal }"), 5) == (
        200,
        {"data": {"sendSignal": True}},
    )
    assert await asyncio.wait_for(waiter, 5) == (200, {"data": {"waitForSignal": True}})


async def test_async_function_runs_alongside_sync_ones():
    status, body = await asyncio.wait_for(
        asgi_post('{ asyncEcho(text: "x") echo(text: "y") { message } }'), 5
    )
    assert (status, body) == (200, {"data": {"asyncEcho": "X", "echo": {"message": "y"}}})
