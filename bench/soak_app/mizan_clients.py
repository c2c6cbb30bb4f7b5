"""The soak test's API: a query, a public context, a mutation that broadcasts, a channel."""

from __future__ import annotations

from pydantic import BaseModel

from mizan_gql import ReactChannel, client


class SoakChannel(ReactChannel):
    """Numbered messages per room; every subscriber must receive every one, in order."""

    class Params(BaseModel):
        room: str

    class DjangoMessage(BaseModel):
        room: str
        seq: int

    def authorize(self, params):
        return True

    def group(self, params):
        return f"soak-{params.room}"


@client
def soak_echo(request, text: str) -> str:
    return text


@client(context="soak_ctx", cache="public", ttl=60)
def soak_value(request, key: int) -> int:
    return key * 2


@client(mutation=True)
async def soak_publish(request, room: str, seq: int) -> bool:
    await SoakChannel.abroadcast({"room": room}, {"room": room, "seq": seq})
    return True
