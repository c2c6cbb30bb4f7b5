"""The functions the benchmark calls."""

from __future__ import annotations

from pydantic import BaseModel

from mizan_gql import client


class Output(BaseModel):
    message: str


@client
async def echo(request, text: str) -> Output:
    # Async, like the plain view it is measured against (which runs on the event loop).
    return Output(message=text)


class Profile(BaseModel):
    user_id: int
    name: str


@client(context="bench_user", cache="public", ttl=3600)
def bench_profile(request, user_id: int) -> Profile:
    return Profile(user_id=user_id, name=f"user{user_id}")
