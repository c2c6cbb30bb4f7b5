"""Channel mistakes are system check errors that name the class and the fix."""

from __future__ import annotations

import pytest
from django.core import checks
from pydantic import BaseModel

from mizan_gql import ReactChannel, client, register
from mizan_gql.channels.checks import check_channel_layers
from mizan_gql.checks import check_registry
from mizan_gql.registry import use_registry


class Message(BaseModel):
    text: str


def ids_and_messages():
    return [(m.id, m.msg) for m in check_registry() if m.id.startswith("mizan_gql.E05")]


def test_missing_django_message_is_e050():
    with use_registry():

        class BareChannel(ReactChannel):
            pass

        assert ids_and_messages() == [
            (
                "mizan_gql.E050",
                "ReactChannel 'test_missing_django_message_is_e050.<locals>.BareChannel': "
                "DjangoMessage must be a pydantic BaseModel subclass, not None.",
            )
        ]


def test_react_message_without_receive_is_e051():
    with use_registry():

        class TalkChannel(ReactChannel):
            DjangoMessage = Message
            ReactMessage = Message

        [(code, message)] = ids_and_messages()
        assert code == "mizan_gql.E051"
        assert "TalkChannel' declares ReactMessage but no receive()" in message


def test_unsupported_param_type_is_e012():
    with use_registry():

        class OddChannel(ReactChannel):
            DjangoMessage = Message

            class Params(BaseModel):
                value: complex

        errors = [m for m in check_registry() if m.id == "mizan_gql.E012"]
        assert len(errors) == 1 and "OddChannel.Params.value" in errors[0].msg


def test_names_clashing_with_channels_or_functions_are_e052():
    with use_registry():

        def lobby_channel_send(request) -> bool:
            return True

        register(client(mutation=True)(lobby_channel_send), "lobby_channel_send")

        class LobbyChannel(ReactChannel):
            DjangoMessage = Message
            ReactMessage = Message

            def receive(self, params, message):
                pass

        class Lobby(ReactChannel):
            graphql_name = "lobbyChannel"
            DjangoMessage = Message

        problems = ids_and_messages()
        assert [p[0] for p in problems] == ["mizan_gql.E052", "mizan_gql.E052"]
        assert "'lobbyChannelSend' is also used by" in problems[0][1]
        assert "'lobbyChannel' is also used by" in problems[1][1]
        assert "LobbyChannel" in problems[1][1]


def test_a_valid_channel_has_no_problem_and_its_types_are_named_after_it():
    with use_registry():

        class RoomChannel(ReactChannel):
            DjangoMessage = Message
            ReactMessage = Message

            class Params(BaseModel):
                room: str
                limit: int = 10

            def receive(self, params, message):
                pass

        assert ids_and_messages() == []
        from mizan_gql.schema import build_schema

        sdl = build_schema().as_str()
        assert "roomChannel(room: String!, limit: Int! = 10): RoomChannelMessage!" in sdl
        assert (
            "roomChannelSend(room: String!, limit: Int! = 10, message: RoomChannelMessageInput!)"
            in sdl
        )


@pytest.mark.parametrize(
    ("host", "warns"),
    [
        ("redis://127.0.0.1:6379/0", True),
        ({"address": "redis://127.0.0.1:6379/0"}, True),
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": 5}, True),
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": 15}, False),
        ({"address": "redis://127.0.0.1:6379/0", "socket_timeout": None}, False),
        ("redis://127.0.0.1:6379/0?socket_timeout=30", False),
    ],
)
def test_redis_layer_with_a_read_timeout_under_the_blocking_read_warns(
    settings, monkeypatch, host, warns
):
    monkeypatch.setattr("mizan_gql.channels.checks._redis_version", lambda: "8.1.0")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [host]},
        }
    }
    found = check_channel_layers()
    assert [m.id for m in found] == (["mizan_gql.W053"] if warns else [])
    assert all(isinstance(m, checks.Warning) for m in found)
