"""``mizanFormMixin``: a Django form that registers itself as GraphQL operations."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from ..registry.core import get_registry
from .contributor import FormContributor
from .meta import MizanFormMeta

__all__ = ["MizanFormMixin", "mizanFormMixin"]


class MizanFormMixin:
    """Mix into a ``forms.Form`` or ``forms.ModelForm`` to serve it over GraphQL::

        class ContactForm(MizanFormMixin, forms.Form):
            mizan = MizanFormMeta(name="contact", title="Contact Us")
            name = forms.CharField(max_length=100)
            email = forms.EmailField()

            def on_submit_success(self, request) -> dict:
                send_mail(...)
                return {"sent": True}

    A class that sets ``mizan`` in its own body is registered when it is defined (keep it
    in a ``mizan_clients`` module, or import it from one); a base class without ``mizan``
    is not. While validating, ``self.request`` is the Django request.
    """

    mizan: ClassVar[MizanFormMeta]
    request: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "mizan" in cls.__dict__:
            get_registry().add_contributor(FormContributor(cls))

    def on_submit_success(self, request: Any) -> Any:
        """Do the form's work once it is valid; the return value is the submit ``result``.

        Runs in a database transaction (unless it is ``async``). Raise
        ``django.core.exceptions.ValidationError`` to report a failure as form errors (the
        transaction is rolled back). Annotate the return type with a pydantic model to get
        a typed ``result``; otherwise it is JSON. A ``ModelForm`` saves and returns
        ``{"id": pk}`` unless you override this.
        """
        if isinstance(self, forms.BaseModelForm):
            instance = self.save()
            return {"id": instance.pk}
        return None

    @classmethod
    def get_form_kwargs(cls, request: Any) -> dict[str, Any]:
        """Extra keyword arguments for the form's constructor (e.g. the user)."""
        return {}

    @classmethod
    def get_instance(cls, request: Any, pk: str) -> Any:
        """The ModelForm instance to edit for ``id``; ``None`` when there is none."""
        model = cls._meta.model  # type: ignore[attr-defined]
        try:
            return model._default_manager.filter(pk=pk).first()
        except (ValueError, TypeError, OverflowError, forms.ValidationError):
            return None

    @classmethod
    def can_edit(cls, request: Any, instance: Any) -> bool:
        """May ``request`` edit ``instance`` (submit or validate with ``id``)?

        By default the user needs Django's ``change`` permission on the model; override it
        to allow owners, e.g. ``return instance.owner_id == request.user.id``.
        """
        opts = instance._meta
        user = getattr(request, "user", None)
        return bool(
            user is not None and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )


# The seed spelling, so code written for mizan ports by renaming the import root.
mizanFormMixin = MizanFormMixin
