"""A second app with a two-parameter context, for manifests and multi-parameter purges."""

from __future__ import annotations

from pydantic import BaseModel

from mizan_gql import client

STOCK: dict[str, int] = {}


class Item(BaseModel):
    category: str
    page: int
    stock: int


@client(context="catalog", cache="public", ttl=60)
def catalog_items(request, category: str, page: int = 1) -> list[Item]:
    return [Item(category=category, page=page, stock=STOCK.get(category, 0))]


@client(mutation=True, invalidates=["catalog"])
def restock(request, category: str, amount: int) -> int:
    STOCK[category] = STOCK.get(category, 0) + amount
    return STOCK[category]
