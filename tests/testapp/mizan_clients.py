"""Server functions of the test project, discovered automatically."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import enum
import threading
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from mizan_gql import ClientError, client, register

from . import models
from .types import AuthorType, BookType


class Output(BaseModel):
    message: str


@client
def echo(request, text: str) -> Output:
    return Output(message=text)


register(echo, "echo")


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Scalars(BaseModel):
    text: str
    number: int
    ratio: float
    flag: bool
    amount: decimal.Decimal
    day: datetime.date
    moment: datetime.datetime
    clock: datetime.time
    ident: uuid.UUID
    color: Color
    mode: str
    tags: list[str]
    note: str | None
    data: dict


@client
def scalars(
    request,
    text: str,
    number: int,
    ratio: float,
    flag: bool,
    amount: decimal.Decimal,
    day: datetime.date,
    moment: datetime.datetime,
    clock: datetime.time,
    ident: uuid.UUID,
    color: Color,
    mode: Literal["fast", "slow"],
    tags: list[str],
    note: str | None = None,
    data: dict | None = None,
) -> Scalars:
    return Scalars(
        text=text,
        number=number,
        ratio=ratio,
        flag=flag,
        amount=amount,
        day=day,
        moment=moment,
        clock=clock,
        ident=ident,
        color=color,
        mode=mode,
        tags=tags,
        note=note,
        data=data or {},
    )


class Address(BaseModel):
    street: str = Field(min_length=1, max_length=50)
    zip_code: str = Field(pattern=r"^\d{5}$")


class Person(BaseModel):
    """A person with addresses."""

    name: str
    age: int = Field(gt=0, lt=150)
    addresses: list[Address] = []
    nickname: str | None = None

    @field_validator("name")
    @classmethod
    def no_admin(cls, value: str) -> str:
        if value.lower() == "admin":
            raise ValueError("the name 'admin' is reserved")
        return value


@client
def describe_person(request, person: Person, greeting: str = "Hello") -> Person:
    return person.model_copy(update={"name": f"{greeting}, {person.name}"})


@client
def positive(request, value: Annotated[int, Field(gt=0)], limit: int = 10) -> list[int]:
    return list(range(min(value, limit)))


@client
def person_dict(request, name: str) -> Person:
    # Returning a dict is coerced into the declared model.
    return {"name": name, "age": 30, "addresses": [{"street": "Main", "zip_code": "12345"}]}


@client
def maybe(request, present: bool) -> Output | None:
    return Output(message="here") if present else None


@client
def nothing(request) -> None:
    return None


@client
async def async_echo(request, text: str) -> str:
    await asyncio.sleep(0)
    return text.upper()


@client
def whoami(request) -> str:
    return request.user.username if request.user.is_authenticated else ""


@client(mutation=True)
def add_author(request, name: str) -> AuthorType:
    return models.Author.objects.create(name=name)


@client
def authors(request) -> list[AuthorType]:
    return models.Author.objects.order_by("id")


@client
def books(request) -> list[BookType]:
    return models.Book.objects.order_by("id")


@client
def fail(request, code: str) -> str:
    if code == "boom":
        raise RuntimeError("secret database password is hunter2")
    raise ClientError(f"failed with {code}", code=code)


@client(auth=True)
def secret_user(request) -> str:
    return "user-secret"


@client(auth="staff")
def secret_staff(request) -> str:
    return "staff-secret"


@client(auth="superuser")
def secret_superuser(request) -> str:
    return "superuser-secret"


def _named_alice(request) -> bool:
    return request.user.is_authenticated and request.user.username == "alice"


@client(auth=_named_alice)
def secret_alice(request) -> str:
    return "alice-secret"


@client(mutation=True, auth=True)
def set_note(request, text: str) -> Output:
    return Output(message=f"saved {text}")


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


@client
def defaults(
    request,
    color: Color = Color.GREEN,
    mode: Literal["fast", "slow"] = "slow",
    count: int = 3,
    ratio: float | None = None,
    tags: list[str] | None = None,
) -> str:
    return f"{color.value}/{mode}/{count}/{ratio}/{tags}"


@client
def pick_mode(request, mode: Literal["fast", "slow"], level: Literal[1, 2, 3] = 1) -> Mode:
    return Mode(mode)


@client
def echo_json(request, data: dict) -> dict:
    return {"received": data}


# A pair of sync functions that only finish together: ``wait_for_signal`` blocks its thread
# until ``send_signal`` runs, proving sync functions run off the event loop (ASGI).
SIGNAL = threading.Event()
WAITING = threading.Event()


@client
def wait_for_signal(request) -> bool:
    WAITING.set()
    return SIGNAL.wait(timeout=5)


@client
def send_signal(request) -> bool:
    SIGNAL.set()
    return True


@client
def current_thread(request) -> str:
    return threading.current_thread().name


CALLS: list[str] = []


@client(auth=True)
def guarded_positive(request, value: Annotated[int, Field(gt=0)]) -> int:
    CALLS.append("guarded_positive")
    return value


def _subscribers_only(request) -> bool:
    raise ClientError("Subscribe to read this", code="PAYMENT_REQUIRED")


@client(auth=_subscribers_only)
def premium(request) -> str:
    return "premium-secret"
