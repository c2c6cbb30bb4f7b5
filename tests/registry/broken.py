"""Server functions with one mistake each, registered by the check tests."""

import decimal
from typing import Literal

from pydantic import BaseModel


class Item(BaseModel):
    name: str


def make_other_item() -> type[BaseModel]:
    class Item(BaseModel):  # same __name__ as the module-level Item, different model
        price: decimal.Decimal

    return Item


OtherItem = make_other_item()


def untyped_param(request, user_id) -> str:
    return ""


def no_return(request, text: str):
    return text


def complex_param(request, value: complex) -> str:
    return ""


def union_return(request) -> Item | int:
    return 1


def mixed_literal(request, value: Literal["a", 1]) -> str:
    return ""


def no_request() -> str:
    return ""


def reserved_param(request, info: str) -> str:
    return info


def star_args(request, *values: int) -> str:
    return ""


def unresolvable(request, value: "Missing") -> str:  # noqa: F821
    return ""


def first(request) -> str:
    return "first"


def second(request) -> str:
    return "second"


def user_name(request) -> str:
    return ""


def userName(request) -> str:  # noqa: N802
    return ""


def item(request) -> Item:
    return Item(name="x")


def other_item(request) -> OtherItem:  # type: ignore[valid-type]
    return OtherItem(price=1)


def site(request, lang: str) -> str:
    return lang


def profile(request, user_id: int) -> str:
    return ""


def avatar(request, user_id: str) -> str:
    return ""


def rename(request, user_id: int) -> str:
    return ""


def plain(request) -> str:
    return ""


def echo(request) -> str:
    return ""


def bad_default(request, count: int = "many") -> str:  # type: ignore[assignment]
    return ""


class Order(BaseModel):
    id: int


class OrderInput(BaseModel):
    id: int


def place(request, order: Order) -> str:
    return ""


def replace(request, order: OrderInput) -> str:
    return ""


def documented(request, text: str) -> str:
    """Echo the text back."""
    return text
