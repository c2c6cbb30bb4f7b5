"""The contact form: Django validation, mirrored in the browser by the generated Zod schema."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from pydantic import BaseModel

from mizan_gql import mizanFormMeta, mizanFormMixin

from .models import ContactMessage

# Addresses nobody reads: the browser cannot know this rule, only the server does.
UNDELIVERABLE_DOMAINS = {"example.com", "example.org", "example.net", "mailinator.com"}


class Sent(BaseModel):
    ticket: int


class ContactForm(mizanFormMixin, forms.Form):
    mizan = mizanFormMeta(name="contact", title="Contact Us")

    TOPICS = [("question", "A question"), ("bug", "A bug report"), ("praise", "Praise")]

    name = forms.CharField(max_length=100)
    email = forms.EmailField(help_text="We answer at this address.")
    topic = forms.ChoiceField(choices=TOPICS, initial="question")
    message = forms.CharField(widget=forms.Textarea, min_length=10, max_length=2000)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        domain = email.rpartition("@")[2].lower()
        if domain in UNDELIVERABLE_DOMAINS:
            raise ValidationError(
                "We cannot reply to %(domain)s addresses; use one you read.",
                code="undeliverable",
                params={"domain": domain},
            )
        return email

    def on_submit_success(self, request) -> Sent:
        message = ContactMessage.objects.create(**self.cleaned_data)
        return Sent(ticket=message.pk)
