"""The forms as a feature plugin: structured input errors and the multipart preflight rule.

Each form registers its own fields (a contributor of the registry) when its class is
defined; the plugin adds what every operation needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..plugins import Plugin
from .input_errors import FormInputErrors
from .uploads import MultipartPreflight

__all__ = ["FormsPlugin"]


class FormsPlugin(Plugin):
    """Forms' multipart mutations need a preflight header; bad form input is one error."""

    order = 50

    def extensions(self) -> Sequence[Any]:
        return [MultipartPreflight, FormInputErrors]
