"""What ``on_submit_success`` returns: JSON, or a typed result when it is annotated."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from ..schema.types import mentions

__all__ = ["mentions_model", "result_annotation"]


def result_annotation(form_class: type[Any]) -> Any:
    """The return annotation of ``on_submit_success``; ``None`` means a JSON result.

    Raises whatever ``typing.get_type_hints`` raises for unresolvable annotations.
    """
    hints = typing.get_type_hints(form_class.on_submit_success)
    annotation = hints.get("return")
    if annotation is None or annotation is Any or annotation is type(None):
        return None
    return annotation


def mentions_model(annotation: Any) -> bool:
    return mentions(annotation, lambda t: isinstance(t, type) and issubclass(t, BaseModel))
