"""The demo's server functions: plain typed functions, exposed by mizan_gql."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from pydantic import BaseModel, Field

from mizan_gql import ClientError, client

from .models import Profile


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


class EchoOut(BaseModel):
    message: str
    length: int


def _profile_out(profile: Profile) -> ProfileOut:
    return ProfileOut(
        user_id=profile.user_id,
        username=profile.user.username,
        display_name=profile.display_name,
        bio=profile.bio,
    )


@client(context="global")
def current_user(request) -> Me:
    """The signed-in user (or an anonymous placeholder)."""
    user = request.user
    if not user.is_authenticated:
        return Me(id=None, username="", is_authenticated=False, is_staff=False)
    return Me(id=user.id, username=user.username, is_authenticated=True, is_staff=user.is_staff)


@client(context="local")
def greet(request, name: str = "world") -> Greeting:
    """A greeting for ``name``."""
    return Greeting(message=f"Hello, {name}!")


@client(context="user", cache="public", ttl=60)
def user_profile(request, user_id: int) -> ProfileOut:
    """A user's public profile."""
    try:
        profile = Profile.objects.select_related("user").get(user_id=user_id)
    except Profile.DoesNotExist:
        raise ClientError("No such profile", code="NOT_FOUND") from None
    return _profile_out(profile)


@client
def echo(request, text: str = Field(max_length=200)) -> EchoOut:
    """Send ``text`` back."""
    return EchoOut(message=text, length=len(text))


@client(mutation=True, auth=True, invalidates=["user"])
def update_profile(
    request,
    user_id: int,
    display_name: str = Field(min_length=1, max_length=100),
    bio: str = Field(default="", max_length=500),
) -> ProfileOut:
    """Edit your own profile; invalidates the ``user`` context for ``user_id``."""
    if request.user.id != user_id:
        raise ClientError("You can only edit your own profile", code="FORBIDDEN")
    profile, _ = Profile.objects.get_or_create(user_id=user_id)
    profile.display_name = display_name
    profile.bio = bio
    profile.save()
    return _profile_out(profile)


@client(auth="staff")
def user_count(request) -> int:
    """How many users exist (staff only)."""
    return get_user_model().objects.count()
