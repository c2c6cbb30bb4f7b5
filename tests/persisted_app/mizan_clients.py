"""Functions the persisted-query tests run (names prefixed ``pq_`` to stay apart)."""

from __future__ import annotations

import datetime
import enum
from collections import Counter
from typing import Annotated

from django.middleware.csrf import get_token
from pydantic import BaseModel, Field

from mizan_gql import ClientError, client

# How often each function really ran (the fast path must not move these).
CALLS: Counter[str] = Counter()


class PqProfile(BaseModel):
    user_id: int
    name: str
    version: int


class PqStats(BaseModel):
    user_id: int
    posts: int


# Stands in for the database: tests change it, then invalidate.
NAMES: dict[int, str] = {}


@client(context="pq_user", cache="public", ttl=600)
def pq_profile(request, user_id: int) -> PqProfile:
    CALLS["pq_profile"] += 1
    return PqProfile(user_id=user_id, name=NAMES.get(user_id, f"user{user_id}"), version=1)


@client(context="pq_user", cache="public", ttl=300)
def pq_stats(request, user_id: int) -> PqStats:
    CALLS["pq_stats"] += 1
    return PqStats(user_id=user_id, posts=user_id * 2)


class PqMe(BaseModel):
    username: str
    authenticated: bool


@client(context="global")
def pq_me(request) -> PqMe:
    CALLS["pq_me"] += 1
    user = request.user
    return PqMe(
        username=user.username if user.is_authenticated else "",
        authenticated=bool(user.is_authenticated),
    )


@client(context="global", auth=True)
def pq_secret(request) -> str:
    CALLS["pq_secret"] += 1
    return f"secret of {request.user.username}"


@client(context="global", cache="none")
def pq_live(request) -> int:
    CALLS["pq_live"] += 1
    return CALLS["pq_live"]


class PqColor(enum.Enum):
    RED = "red"
    BLUE = "blue"


class PqFilter(BaseModel):
    min_posts: int = Field(ge=0)
    label: str | None = None


class PqSearch(BaseModel):
    term: str
    limit: int
    day: datetime.date | None
    color: PqColor
    tags: list[str]
    min_posts: int | None


@client(context="pq_search", cache="public", ttl=60)
def pq_search(
    request,
    term: str,
    limit: Annotated[int, Field(gt=0, le=50)] = 10,
    day: datetime.date | None = None,
    color: PqColor = PqColor.RED,
    tags: list[str] | None = None,
    filter: PqFilter | None = None,
) -> PqSearch:
    CALLS["pq_search"] += 1
    return PqSearch(
        term=term,
        limit=limit,
        day=day,
        color=color,
        tags=tags or [],
        min_posts=filter.min_posts if filter else None,
    )


@client(context="global", cache="public")
def pq_broken(request) -> str:
    CALLS["pq_broken"] += 1
    raise ClientError("not there", code="NOT_FOUND")


@client(context="global", cache="public")
def pq_cookie_monster(request) -> str:
    # Tries to leave a cookie on a public response: the session and the CSRF token.
    request.session["seen"] = True
    get_token(request)
    return "crumbs"


class PqNode(BaseModel):
    label: str
    children: list[PqNode] = []


@client
def pq_tree(request, depth: int = 2) -> PqNode:
    node = PqNode(label="leaf")
    for level in range(depth):
        node = PqNode(label=f"level{level}", children=[node])
    return node


@client(mutation=True)
def pq_bump(request, user_id: int) -> int:
    CALLS["pq_bump"] += 1
    return user_id


@client(context="global", cache="public")
def pq_public_viewer(request) -> str:
    # A public answer is shared: the function must never see who is asking.
    user = request.user
    return user.username if user.is_authenticated else "nobody"
