"""Django forms as GraphQL operations: ``<name>Schema``, ``<name>Validate``, ``<name>Submit``.

See docs/forms.md.
"""

from .meta import MizanFormMeta, mizanFormMeta
from .mixin import MizanFormMixin, mizanFormMixin
from .types import FormError, FormFieldError, FormSchema, FormValidation

__all__ = [
    "FormError",
    "FormFieldError",
    "FormSchema",
    "FormValidation",
    "MizanFormMeta",
    "MizanFormMixin",
    "mizanFormMeta",
    "mizanFormMixin",
]
