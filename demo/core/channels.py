"""The chat room: a ReactChannel with parameters and messages both ways."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, Field

from mizan_gql import ClientError, ReactChannel

from .models import ChatMessage

ROOM_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class ChatLine(BaseModel):
    """One chat message, as subscribers receive it and as the room's history lists it."""

    id: int
    text: str
    author: str
    sent: datetime.datetime


class ChatChannel(ReactChannel):
    """A chat room: signed-in users receive every message posted to it."""

    class Params(BaseModel):
        room: str = Field(pattern=ROOM_PATTERN, max_length=40)

    DjangoMessage = ChatLine

    class ReactMessage(BaseModel):
        text: str = Field(min_length=1, max_length=500)

    def authorize(self, params: Params) -> bool:
        return self.user.is_authenticated

    def group(self, params: Params) -> str:
        return f"chat {params.room}"

    def receive(self, params: Params, message: ReactMessage) -> None:
        text = message.text.strip()
        if not text:
            raise ClientError("Write something first", code="BAD_USER_INPUT")
        line = ChatMessage.objects.create(room=params.room, author=self.user, text=text)
        line.author = self.user
        self.broadcast(params, self.message_of(line))

    @classmethod
    def message_of(cls, line: ChatMessage) -> ChatLine:
        return ChatLine(
            id=line.pk, text=line.text, author=line.author.get_username(), sent=line.sent
        )
