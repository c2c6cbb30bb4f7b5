"""Channels and functions the subscription tests use (autodiscovered)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from mizan_gql import ReactChannel, client, register

# Who each StaffNewsChannel.authorize call saw, so tests can assert the user of the socket.
AUTHORIZE_SEEN: list[str] = []


class ChatChannel(ReactChannel):
    """A chat room for signed-in users."""

    class Params(BaseModel):
        room: str = Field(min_length=1, max_length=40)

    class DjangoMessage(BaseModel):
        text: str
        author: str = ""

    class ReactMessage(BaseModel):
        text: str = Field(min_length=1, max_length=200)

    def authorize(self, params):
        return self.user.is_authenticated

    def group(self, params):
        return f"chat {params.room}"  # a space: not a valid layer group name on its own

    def receive(self, params, message):
        self.broadcast(params, {"text": message.text, "author": self.user.get_username()})


class NewsChannel(ReactChannel):
    """Public headlines; async hooks."""

    class DjangoMessage(BaseModel):
        headline: str

    async def authorize(self, params):
        return True

    async def group(self, params):
        return "news"


class StaffNewsChannel(ReactChannel):
    class Params(BaseModel):
        topic: str

    class DjangoMessage(BaseModel):
        headline: str

    def authorize(self, params):
        AUTHORIZE_SEEN.append(self.user.get_username() or "<anonymous>")
        return self.user.is_staff

    def group(self, params):
        return params.topic


class WsRequestInfo(BaseModel):
    username: str
    authenticated: bool
    has_session: bool
    cookies: list[str]
    user_agent: str
    host: str


@client
def ws_request_info(request) -> WsRequestInfo:
    return WsRequestInfo(
        username=request.user.get_username(),
        authenticated=request.user.is_authenticated,
        has_session=request.session.session_key is not None,
        cookies=sorted(request.COOKIES),
        user_agent=request.headers.get("User-Agent", ""),
        host=request.get_host(),
    )


@client(mutation=True)
def ws_publish_news(request, headline: str) -> bool:
    """Broadcast from inside a server function (runs in a worker thread)."""
    NewsChannel.broadcast("news", {"headline": headline})
    return True


register(ws_request_info, "ws_request_info")
register(ws_publish_news, "ws_publish_news")
