"""Server functions, a context of each kind, a form and a channel for the client tests."""

from __future__ import annotations

import enum
import itertools

from django import forms
from django.core.validators import RegexValidator
from pydantic import BaseModel, Field

from mizan_gql import ClientError, ReactChannel, client, invalidate
from mizan_gql.forms import mizanFormMeta, mizanFormMixin


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


class EchoOut(BaseModel):
    message: str
    times: int
    shade: Shade | None = None


class Me(BaseModel):
    username: str
    is_authenticated: bool


class Greeting(BaseModel):
    message: str
    computed: int


class Note(BaseModel):
    note_id: int
    text: str


class NoteInput(BaseModel):
    text: str = Field(min_length=1, max_length=200)
    pinned: bool = False


NOTES: dict[int, str] = {1: "first", 2: "second"}
_computations = itertools.count(1)


@client
def echo(request, text: str, times: int = Field(default=1, ge=1, le=5)) -> EchoOut:
    """Repeat a text."""
    return EchoOut(message=text * times, times=times)


@client
def shade_echo(request, shade: Shade, note: NoteInput | None = None) -> EchoOut:
    return EchoOut(message=note.text if note else "", times=1, shade=shade)


@client(auth=True)
def whoami(request) -> str:
    return request.user.get_username()


@client
def fail(request, code: str) -> bool:
    raise ClientError(f"failed with {code}", code=code)


@client(context="global")
def current_user(request) -> Me:
    user = request.user
    return Me(username=user.get_username(), is_authenticated=user.is_authenticated)


@client(context="local", cache="public", ttl=60)
def greet(request, name: str) -> Greeting:
    return Greeting(message=f"Hello, {name}!", computed=next(_computations))


@client(context="note", cache="public", ttl=60)
def note(request, note_id: int) -> Note:
    if note_id not in NOTES:
        raise ClientError("No such note", code="NOT_FOUND")
    return Note(note_id=note_id, text=NOTES[note_id])


@client(mutation=True, invalidates=["note"])
def update_note(request, note_id: int, text: str) -> Note:
    """Change a note; the `note` context of that note is invalidated."""
    NOTES[note_id] = text
    return Note(note_id=note_id, text=text)


@client(mutation=True)
def touch_greet(request, name: str) -> bool:
    """Invalidate a greeting (clients learn it over mizanInvalidations)."""
    invalidate("greet", name=name)
    return True


class ContactForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="contact", title="Contact us")

    TOPICS = [("", "---"), ("sales", "Sales"), ("support", "Support")]

    name = forms.CharField(max_length=20, min_length=2)
    email = forms.EmailField()
    age = forms.IntegerField(min_value=18, max_value=120, required=False)
    topic = forms.ChoiceField(choices=TOPICS)
    website = forms.URLField(required=False)
    code = forms.CharField(
        required=False,
        validators=[RegexValidator(r"^[A-Z]{3}\d{2}$", "Enter a code like ABC12.")],
    )
    agree = forms.BooleanField()

    def on_submit_success(self, request):
        return {"sent": True, "name": self.cleaned_data["name"]}


class UploadForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="upload", title="Upload a file")

    title = forms.CharField(max_length=50)
    attachment = forms.FileField()

    def on_submit_success(self, request):
        attachment = self.cleaned_data["attachment"]
        content = attachment.read().decode()
        return {"title": self.cleaned_data["title"], "name": attachment.name, "content": content}


class ChatChannel(ReactChannel):
    """A chat room."""

    class Params(BaseModel):
        room: str = Field(min_length=1, max_length=40)

    class DjangoMessage(BaseModel):
        text: str

    class ReactMessage(BaseModel):
        text: str = Field(min_length=1, max_length=200)

    def group(self, params):
        return f"chat:{params.room}"

    def receive(self, params, message):
        self.broadcast(params, {"text": message.text})


class TickerChannel(ReactChannel):
    """Server-to-client only: no ReactMessage, no parameters."""

    class DjangoMessage(BaseModel):
        price: float
