"""Forms of the test project, discovered automatically like a user's ``mizan_clients``."""

from __future__ import annotations

import asyncio
import datetime
import decimal

from django import forms
from django.core.exceptions import ValidationError
from pydantic import BaseModel

from mizan_gql.forms import MizanFormMeta, MizanFormMixin, mizanFormMeta, mizanFormMixin

from .models import Article, Category, Tag

# What on_submit_success did, so tests can prove it ran (or did not).
SENT: list[dict] = []


class ContactForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="contact", title="Contact Us")
    name = forms.CharField(max_length=100)
    email = forms.EmailField()

    def on_submit_success(self, request):
        SENT.append({"form": "contact", **self.cleaned_data})
        return {"sent": True}


class EverythingResult(BaseModel):
    text: str
    bio: str
    email: str
    website: str
    slug: str
    code: str
    count: int
    ratio: float
    price: decimal.Decimal
    agree: bool
    newsletter: bool
    day: datetime.date
    moment: datetime.datetime
    clock: datetime.time
    size: str
    colours: list[str]
    category: str
    tags: list[str]


class EverythingForm(MizanFormMixin, forms.Form):
    """Every supported field type, echoed back as a typed result."""

    mizan = MizanFormMeta(name="everything", title="Every field")
    text = forms.CharField(min_length=2, max_length=20, help_text="Say something", initial="hi")
    bio = forms.CharField(widget=forms.Textarea, required=False)
    email = forms.EmailField()
    website = forms.URLField(required=False, assume_scheme="https")
    slug = forms.SlugField()
    code = forms.RegexField(regex=r"^[A-Z]{3}\d{2}\Z")
    count = forms.IntegerField(min_value=1, max_value=10, initial=1)
    ratio = forms.FloatField(min_value=0.0, max_value=1.0)
    price = forms.DecimalField(max_digits=6, decimal_places=2, min_value=decimal.Decimal("0.01"))
    agree = forms.BooleanField()
    newsletter = forms.BooleanField(required=False)
    day = forms.DateField()
    moment = forms.DateTimeField()
    clock = forms.TimeField()
    size = forms.ChoiceField(choices=[("s", "Small"), ("m", "Medium"), ("l", "Large")])
    colours = forms.MultipleChoiceField(
        choices=[("Warm", [("red", "Red"), ("orange", "Orange")]), ("blue", "Blue")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    category = forms.ModelChoiceField(queryset=Category.objects.order_by("name"))
    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.order_by("name"), required=False)

    def on_submit_success(self, request) -> EverythingResult:
        data = dict(self.cleaned_data)
        data["category"] = data["category"].name
        data["tags"] = [tag.name for tag in data["tags"]]
        SENT.append({"form": "everything"})
        return data  # a dict is coerced into the annotated model


class SignupForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="sign_up")
    username = forms.CharField(max_length=30)
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)
    password_again = forms.CharField(widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if username.lower() == "admin":
            raise ValidationError(
                "The name %(name)s is reserved.", code="reserved", params={"name": username}
            )
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            raise ValidationError("The passwords differ.", code="mismatch")
        return cleaned

    def on_submit_success(self, request):
        SENT.append({"form": "sign_up", "username": self.cleaned_data["username"]})
        return {"welcome": self.cleaned_data["username"]}


class ArticleForm(mizanFormMixin, forms.ModelForm):
    mizan = mizanFormMeta(name="article", title="Write an article", auth=True)

    class Meta:
        model = Article
        fields = ["title", "body", "category", "tags"]

    @classmethod
    def can_edit(cls, request, instance):
        return instance.owner_id == request.user.id

    def on_submit_success(self, request):
        if self.instance.pk is None:
            self.instance.owner = request.user
        article = self.save()
        if article.title == "explode":
            # A failure after saving: reported as a form error, the save is rolled back.
            raise ValidationError("The archive refused the article.", code="archive")
        return {
            "id": article.pk,
            "title": article.title,
            "tags": sorted(t.name for t in article.tags.all()),
        }


class CategoryForm(mizanFormMixin, forms.ModelForm):
    """A ModelForm with the default on_submit_success (save) and can_edit (permission)."""

    mizan = mizanFormMeta(name="category")

    class Meta:
        model = Category
        fields = ["name"]


class StaffNoteForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="staff_note", auth="staff")
    note = forms.CharField()

    def on_submit_success(self, request):
        return {"note": self.cleaned_data["note"], "by": request.user.username}


class PingForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="ping")
    message = forms.CharField()

    async def on_submit_success(self, request):
        await asyncio.sleep(0)
        if self.cleaned_data["message"] == "fail":
            raise ValidationError({"message": ["Ping failed."]})
        return {"pong": self.cleaned_data["message"]}
