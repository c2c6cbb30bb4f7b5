"""``MIZAN["WS_AUTHENTICATE"]``: a socket signed in from ``connection_init``'s payload."""

from __future__ import annotations

import logging

import pytest
from django.core import checks
from django.test import override_settings

from mizan_gql.conf_checks import check_settings
from tests.channels.conftest import LEGACY, TRANSPORT
from tests.channels_app.mizan_clients import ChatChannel

pytestmark = pytest.mark.django_db(transaction=True)

WHO = "{ wsRequestInfo { username authenticated } }"
CHAT = 'subscription { chatChannel(room: "tokens") { text } }'
HOOK = "tests.websocket_app.auth.token_user"


@pytest.fixture
def ann(django_user_model):
    return django_user_model.objects.create_user("ann", password="pw")


@pytest.mark.parametrize("hook", [HOOK, "tests.websocket_app.auth.async_token_user"])
async def test_a_token_in_connection_params_signs_the_socket_in(sockets, settings, ann, hook):
    settings.MIZAN = {"WS_AUTHENTICATE": hook}
    socket = await sockets(init=False)
    await socket.init({"token": "ann-token"})
    await socket.subscribe("who", WHO)
    assert await socket.next("who") == {
        "data": {"wsRequestInfo": {"username": "ann", "authenticated": True}}
    }


async def test_without_a_token_the_session_decides(sockets, settings, ann):
    settings.MIZAN = {"WS_AUTHENTICATE": HOOK}
    socket = await sockets()  # connection_init with an empty payload
    await socket.subscribe("who", WHO)
    assert await socket.next("who") == {
        "data": {"wsRequestInfo": {"username": "", "authenticated": False}}
    }


async def test_a_refused_token_closes_with_4403(sockets, settings, ann):
    settings.MIZAN = {"WS_AUTHENTICATE": HOOK}
    socket = await sockets(init=False)
    await socket.send({"type": "connection_init", "payload": {"token": "stolen"}})
    assert await socket.closed_with() == 4403


async def test_a_refused_token_on_the_legacy_protocol(sockets, settings, ann):
    settings.MIZAN = {"WS_AUTHENTICATE": HOOK}
    socket = await sockets(LEGACY, init=False)
    await socket.send({"type": "connection_init", "payload": {"token": "stolen"}})
    assert (await socket.receive())["type"] == "connection_error"
    assert await socket.closed_with() == 4403


async def test_a_failing_function_is_logged_and_refuses(sockets, settings, caplog):
    settings.MIZAN = {"WS_AUTHENTICATE": "tests.websocket_app.auth.broken"}
    socket = await sockets(init=False)
    with caplog.at_level(logging.ERROR, logger="mizan_gql"):
        await socket.send({"type": "connection_init", "payload": {"token": "x"}})
        assert await socket.closed_with() == 4403
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "MIZAN['WS_AUTHENTICATE'] failed; the connection is refused"
    ]


async def test_a_token_user_is_not_signed_out_by_the_session_recheck(sockets, settings, ann):
    """The socket has no session user: re-reading its (anonymous) session must not end a
    subscription that its token allowed."""
    settings.MIZAN = {"WS_AUTHENTICATE": HOOK, "WS_AUTH_RECHECK": 0}
    socket = await sockets(TRANSPORT, init=False)
    await socket.init({"token": "ann-token"})
    await socket.subscribed("chat", CHAT)
    for text in ("one", "two"):
        await ChatChannel.abroadcast({"room": "tokens"}, {"text": text})
        assert await socket.next("chat") == {"data": {"chatChannel": {"text": text}}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HOOK, []),
        (
            "tests.websocket_app.auth.nope",
            [
                checks.Error(
                    "MIZAN['WS_AUTHENTICATE'] = 'tests.websocket_app.auth.nope' cannot be "
                    'imported: Module "tests.websocket_app.auth" does not define a "nope" '
                    "attribute/class",
                    hint="Fix the dotted path in MIZAN.",
                    id="mizan_gql.E005",
                )
            ],
        ),
        (
            "tests.websocket_app.auth.NOT_A_FUNCTION",
            [
                checks.Error(
                    "MIZAN['WS_AUTHENTICATE'] = 'tests.websocket_app.auth.NOT_A_FUNCTION' is "
                    "a int, not a function.",
                    hint="Name a function `authenticate(request, params)` (sync or async).",
                    id="mizan_gql.E002",
                )
            ],
        ),
    ],
)
def test_the_setting_is_checked(value, expected):
    with override_settings(MIZAN={"WS_AUTHENTICATE": value}):
        assert check_settings() == expected
