"""Random message sequences on both WebSocket subprotocols never cause a server error.

Each case opens a socket (anonymous, a user or a staff member), sends up to twelve
messages built from a seeded random generator (so every run sends the same ones) and
checks every answer: no server error is logged, nothing internal reaches the client, and a
socket the server closes is closed with a protocol code, never 1011.
"""

from __future__ import annotations

import json
import logging
import random
from typing import Any

import pytest

from tests.channels.conftest import LEGACY, TRANSPORT

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENTS = [
    "subscription { newsChannel { headline } }",
    "subscription($r: String!) { chatChannel(room: $r) { text author } }",
    "subscription($t: String!) { staffNewsChannel(topic: $t) { headline } }",
    "subscription($c: [String!]) { mizanInvalidations(contexts: $c) { context params } }",
    "mutation($r: String!, $m: ChatChannelMessageInput!) {"
    " chatChannelSend(room: $r, message: $m) }",
    "mutation($h: String!) { wsPublishNews(headline: $h) }",
    "{ wsRequestInfo { __typename } }",
    "subscription A { newsChannel { headline } } subscription B { newsChannel { headline } }",
    'subscription { newsChannel { headline } chatChannel(room: "x") { text } }',
    "subscription { __typename }",
    "",
    "{",
]
STRINGS = ["", "x", "a" * 300, "chat room", "\x00", "é", "room;,=%", "\U0001f600", "r", "m"]
NUMBERS = [0, -1, 2**31, 2**70, 1.5, 1e308]
NAMES = ["r", "m", "h", "t", "c", "text", "q", ""]
# Close codes the protocols define for a client's mistakes (and a normal close).
PROTOCOL_CLOSES = {1000, 4400, 4401, 4403, 4409, 4429}
LEAKS = ("Traceback", 'File "', "django.", "strawberry.")


def value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice(NUMBERS)
    if kind in (3, 4):
        return rng.choice(STRINGS)
    if kind == 5:
        return [value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(NAMES): value(rng, depth + 1) for _ in range(rng.randrange(4))}


def payload(rng: random.Random) -> dict[str, Any]:
    result: dict[str, Any] = {"query": rng.choice(DOCUMENTS) if rng.random() < 0.9 else value(rng)}
    if rng.random() < 0.7:
        variables = {name: value(rng) for name in ("r", "h", "t", "c")}
        variables["m"] = {"text": value(rng)}
        result["variables"] = variables if rng.random() < 0.7 else value(rng)
    if rng.random() < 0.3:
        result["operationName"] = (
            rng.choice(["A", "B", "Nope"]) if rng.random() < 0.5 else value(rng)
        )
    if rng.random() < 0.3:
        persisted = {"version": 1, "sha256Hash": "a" * 64} if rng.random() < 0.5 else value(rng)
        result["extensions"] = {"persistedQuery": persisted} if rng.random() < 0.7 else value(rng)
    return result


def message(rng: random.Random, protocol: str) -> dict[str, Any]:
    if protocol == TRANSPORT:
        types = ["subscribe", "complete", "ping", "pong", "connection_init", "next", "nonsense"]
    else:
        types = ["start", "stop", "connection_init", "connection_terminate", "ka", "nonsense"]
    result: dict[str, Any] = {"type": rng.choice(types)}
    if rng.random() < 0.9:
        result["id"] = rng.choice(["1", "2", "3", "", "a" * 500, 5, None, []])
    if rng.random() < 0.9:
        result["payload"] = payload(rng) if rng.random() < 0.9 else value(rng)
    return result


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("protocol", [TRANSPORT, LEGACY])
async def test_random_messages_never_cause_a_server_error(
    sockets, session_cookie, caplog, protocol, seed
):
    rng = random.Random(seed)
    cookies = None
    if seed % 3:
        _, cookies = await session_cookie(f"fuzz{seed}", staff=seed % 3 == 2)
    socket = await sockets(protocol, cookies=cookies)
    sent: list[dict[str, Any]] = []
    with caplog.at_level(logging.WARNING):
        for _ in range(12):
            sent.append(message(rng, protocol))
            await socket.communicator.send_to(text_data=json.dumps(sent[-1]))
            # Read what the message caused (receive_nothing never cancels the application).
            while not await socket.communicator.receive_nothing(0.2):
                output = await socket.communicator.receive_output(5)
                if output["type"] == "websocket.close":
                    socket.closed = True
                    assert output.get("code", 1000) in PROTOCOL_CLOSES, (sent, output)
                    break
                text = output.get("text") or ""
                assert not any(leak in text for leak in LEAKS), (sent, text)
                assert "INTERNAL_SERVER_ERROR" not in text, (sent, text)
            if socket.closed:
                break
    errors = [r.getMessage()[:500] for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], sent
