"""``mizanFormMeta``: the options that expose a Django form as GraphQL operations."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst

from ..registry.entry import AuthOption

__all__ = ["MizanFormMeta", "mizanFormMeta"]


@dataclass(frozen=True)
class MizanFormMeta:
    """Options of a form, assigned to its ``mizan`` attribute::

        class ContactForm(MizanFormMixin, forms.Form):
            mizan = MizanFormMeta(name="contact", title="Contact Us", auth=True)

    ``name`` gives the root fields ``<name>Schema``, ``<name>Validate`` and
    ``<name>Submit`` and the input type ``<Name>FormInput``; ``auth`` takes the values of
    ``@client(auth=...)`` and guards all three fields.
    """

    name: str
    title: str = ""
    auth: AuthOption = None
    description: str | None = None

    @property
    def display_title(self) -> str:
        return self.title or capfirst(self.name.replace("_", " "))


# The seed spelling, so code written for mizan ports by renaming the import root.
mizanFormMeta = MizanFormMeta
