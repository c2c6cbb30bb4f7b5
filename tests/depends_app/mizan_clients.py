"""Contexts that read the models of tests.depends_app (names start with ``dep_``).

``CALLS`` counts how often each function really ran, so tests tell hits from misses.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from mizan_gql import client

from .models import Author

CALLS: Counter[str] = Counter()


class Card(BaseModel):
    name: str
    tags: list[str]


@client(
    context="dep_author",
    cache="public",
    ttl=600,
    depends_on={Author: {"user_id": "user"}, "depends_app.Tag": None},
)
def dep_author_card(request, user_id: int) -> Card:
    """Public: one entry per user, for everybody. A tag renamed may show on any card."""
    CALLS["dep_author_card"] += 1
    author = Author.objects.filter(user_id=user_id).first()
    if author is None:
        return Card(name="", tags=[])
    return Card(name=author.name, tags=sorted(t.name for t in author.tags.all()))


@client(context="global", depends_on=[Author])
def dep_my_authors(request) -> list[str]:
    """Private: the names of the signed-in user's authors (a change to any author drops
    every user's entry: the list form means the whole context)."""
    CALLS["dep_my_authors"] += 1
    if not request.user.is_authenticated:
        return []
    return sorted(Author.objects.filter(user=request.user).values_list("name", flat=True))


@client(
    context="dep_tagged",
    cache="public",
    depends_on={"depends_app.Tag": lambda tag: {"tag": tag.name}, Author: None},
)
def dep_tagged(request, tag: str) -> list[str]:
    """Public, keyed by the tag's name, computed from the changed tag."""
    CALLS["dep_tagged"] += 1
    return sorted(Author.objects.filter(tags__name=tag).values_list("name", flat=True))


@client(mutation=True)
def dep_rename_author(request, user_id: int, name: str) -> str:
    """Saves the model; declares no invalidates=: depends_on does the invalidating."""
    author = Author.objects.get(user_id=user_id)
    author.name = name
    author.save()
    return author.name
