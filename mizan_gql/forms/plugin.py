"""The forms as a feature plugin: structured input errors and the multipart preflight rule.

Each form registers its own fields (a contributor of the registry) when its class is
defined; the plugin adds what every operation needs.
"""

from ..plugins import Plugin
from .input_errors import FormInputErrors
from .uploads import MultipartPreflight

__all__ = ["FORMS"]

FORMS = Plugin(name="forms", order=50, extensions=[MultipartPreflight, FormInputErrors])
