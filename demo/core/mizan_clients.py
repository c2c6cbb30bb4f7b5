"""The demo's server functions: plain typed functions, exposed by mizan_gql.

The form (``forms.py``) and the chat channel (``channels.py``) register themselves when they
are defined; importing them here is what makes them part of the schema.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from pydantic import BaseModel, Field

from mizan_gql import ClientError, client

from .channels import ROOM_PATTERN, ChatChannel, ChatLine
from .forms import ContactForm
from .models import ChatMessage, Profile

__all__ = ["ChatChannel", "ContactForm"]

HISTORY_LENGTH = 50


class Me(BaseModel):
    id: int | None
    username: str
    is_authenticated: bool
    is_staff: bool


class Greeting(BaseModel):
    message: str


class ProfileOut(BaseModel):
    user_id: int
    username: str
    display_name: str
    bio: str
    member_since: datetime.date


class Person(BaseModel):
    user_id: int
    username: str
    display_name: str


class EchoOut(BaseModel):
    message: str
    length: int


def _profile_out(profile: Profile) -> ProfileOut:
    return ProfileOut(
        user_id=profile.user_id,
        username=profile.user.username,
        display_name=profile.display_name,
        bio=profile.bio,
        member_since=profile.user.date_joined.date(),
    )


@client(context="global")
def current_user(request) -> Me:
    """The signed-in user (or an anonymous placeholder)."""
    user = request.user
    if not user.is_authenticated:
        return Me(id=None, username="", is_authenticated=False, is_staff=False)
    return Me(id=user.id, username=user.username, is_authenticated=True, is_staff=user.is_staff)


@client(context="local")
def greet(request, name: str = Field(default="world", max_length=40)) -> Greeting:
    """A greeting for ``name``."""
    name = name.strip() or "world"
    return Greeting(message=f"Hello, {name}!")


@client(context="user", cache="public", ttl=60)
def user_profile(request, user_id: int) -> ProfileOut:
    """A user's public profile."""
    try:
        profile = Profile.objects.select_related("user").get(user_id=user_id)
    except Profile.DoesNotExist:
        raise ClientError("No such profile", code="NOT_FOUND") from None
    return _profile_out(profile)


@client(context="people", cache="public", ttl=60)
def people(request) -> list[Person]:
    """Everyone with a profile, by display name."""
    profiles = Profile.objects.select_related("user").order_by("display_name", "user_id")
    return [
        Person(user_id=p.user_id, username=p.user.username, display_name=p.display_name)
        for p in profiles
    ]


@client
def echo(request, text: str = Field(max_length=200)) -> EchoOut:
    """Send ``text`` back."""
    return EchoOut(message=text, length=len(text))


@client(mutation=True, auth=True, invalidates=["user", "people"])
def update_profile(
    request,
    user_id: int,
    display_name: str = Field(min_length=1, max_length=100),
    bio: str = Field(default="", max_length=500),
) -> ProfileOut:
    """Edit your own profile; invalidates the ``user`` context for ``user_id`` and ``people``."""
    if request.user.id != user_id:
        raise ClientError("You can only edit your own profile", code="FORBIDDEN")
    display_name = display_name.strip()
    if not display_name:
        raise ClientError(
            "Enter a display name",
            code="BAD_USER_INPUT",
            extensions={
                "fieldErrors": [
                    {"path": ["displayName"], "message": "Enter a display name", "type": "blank"}
                ]
            },
        )
    profile, _ = Profile.objects.select_related("user").get_or_create(user_id=user_id)
    profile.display_name = display_name
    profile.bio = bio.strip()
    profile.save()
    return _profile_out(profile)


@client(auth=True)
def chat_history(request, room: str = Field(pattern=ROOM_PATTERN, max_length=40)) -> list[ChatLine]:
    """The last messages of a chat room, oldest first (live ones come from ``chatChannel``)."""
    recent = ChatMessage.objects.filter(room=room).select_related("author").order_by("-sent", "-id")
    return [ChatChannel.message_of(line) for line in reversed(recent[:HISTORY_LENGTH])]


@client(auth="staff")
def user_count(request) -> int:
    """How many users exist (staff only)."""
    return get_user_model().objects.count()
