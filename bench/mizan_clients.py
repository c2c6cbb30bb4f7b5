"""The functions the benchmark calls."""

from __future__ import annotations

from pydantic import BaseModel

from mizan_gql import client


class Output(BaseModel):
    message: str


@client
def echo(request, text: str) -> Output:
    return Output(message=text)


class Profile(BaseModel):
    user_id: int
    name: str


@client(context="bench_user", cache="public", ttl=3600)
def bench_profile(request, user_id: int) -> Profile:
    return Profile(user_id=user_id, name=f"user{user_id}")
