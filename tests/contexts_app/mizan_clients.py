"""Context functions of the contexts tests (names start with ``ctx_``).

``CALLS`` counts how often each function really ran, so tests can tell hits from misses;
``GATES`` lets a test hold a computation in flight (threading.Event) to interleave
requests and invalidations deterministically.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from pydantic import BaseModel

from mizan_gql import client, invalidate

CALLS: Counter[str] = Counter()
NAMES: dict[int, str] = {}
GATES: dict[str, tuple[threading.Event, threading.Event]] = {}


def gate(key: str) -> tuple[threading.Event, threading.Event]:
    """(started, release): the computation of ``ctx_slow(key)`` sets ``started`` then waits."""
    GATES[key] = (threading.Event(), threading.Event())
    return GATES[key]


class Me(BaseModel):
    user_id: int | None
    user_name: str


class Profile(BaseModel):
    user_id: int
    display_name: str
    bio: str = ""


@client(context="global")
def ctx_me(request) -> Me:
    """The signed-in user (private: one entry per user, one shared anonymous entry)."""
    CALLS["ctx_me"] += 1
    user = request.user
    if user.is_authenticated:
        return Me(user_id=user.pk, user_name=user.username)
    return Me(user_id=None, user_name="")


@client(context="global", cache="none")
def ctx_clock(request) -> int:
    CALLS["ctx_clock"] += 1
    return CALLS["ctx_clock"]


@client(context="ctx_user", cache="public", ttl=600)
def ctx_profile(request, user_id: int) -> Profile:
    CALLS["ctx_profile"] += 1
    name = NAMES.get(user_id, f"user {user_id}")
    return Profile(user_id=user_id, display_name=name, bio=f"</script><!-- {name}")


@client(context="ctx_user", cache="public", ttl=300)
async def ctx_profile_tags(request, user_id: int) -> list[str]:
    CALLS["ctx_profile_tags"] += 1
    return [f"tag-{user_id}"]


@client(context="local")
def ctx_note(request, topic: str) -> str:
    """Private and parameterised: keyed by user and topic."""
    CALLS["ctx_note"] += 1
    who = request.user.username if request.user.is_authenticated else "anonymous"
    return f"{who}:{topic}"


@client(context="local", cache="public")
def ctx_pair(request, a: str, b: str) -> str:
    CALLS["ctx_pair"] += 1
    return f"{a}|{b}"


@client(context="ctx_slow", cache="public")
def ctx_slow(request, key: str) -> str:
    """Blocks on its gate (if a test set one) so a test can act while it is in flight."""
    CALLS["ctx_slow"] += 1
    value = NAMES.get(0, "initial")
    if key in GATES:
        started, release = GATES[key]
        started.set()
        release.wait(10)
    return f"{key}:{value}"


@client(mutation=True, invalidates=["ctx_user"])
def ctx_rename(request, user_id: int, display_name: str) -> Profile:
    NAMES[user_id] = display_name
    return Profile(user_id=user_id, display_name=display_name)


@client(mutation=True, invalidates=["ctx_user"])
def ctx_rename_everyone(request, display_name: str) -> int:
    for user_id in list(NAMES):
        NAMES[user_id] = display_name
    return len(NAMES)


@client(mutation=True, invalidates=["ctx_user"])
def ctx_rename_fails(request, user_id: int) -> int:
    raise ValueError("nothing renamed")


@client(mutation=True)
def ctx_touch(request, topic: str) -> bool:
    """Invalidates by hand, twice (the response lists each entry once)."""
    invalidate("ctx_note", topic=topic)
    invalidate("ctx_note", topic=topic)
    invalidate("ctx_me")
    return True


@client(mutation=True)
def ctx_touch_many(request, topics: list[str]) -> int:
    """One invalidation per topic: a response can name more entries than a header holds."""
    for topic in topics:
        invalidate("ctx_note", topic=topic)
    return len(topics)


@client(context="ctx_aslow", cache="public")
async def ctx_aslow(request, key: str) -> str:
    """Async and gated: concurrent requests wait on the event loop, not on a thread."""
    CALLS["ctx_aslow"] += 1
    if key in GATES:
        started, release = GATES[key]
        started.set()
        await asyncio.to_thread(release.wait, 10)
    return f"{key}:{NAMES.get(0, 'initial')}"
