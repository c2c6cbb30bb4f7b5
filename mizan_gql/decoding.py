"""JSON from clients (HTTP bodies, GET parameters, WebSocket messages), read safely.

``json.loads`` accepts three things that fail later, far from where the request was read,
and fails on a fourth with an error no caller expects:

- escapes of lone surrogates (``"\\ud800"``) become code points no UTF-8 encoder takes, so
  hashing the document, writing a header or saving to the database would raise;
- deep nesting (``[[[[...``) exhausts the recursion limit of whatever walks the value next
  (pydantic, ``copy.deepcopy``, a function's own code); how deep ``json.loads`` itself goes
  depends on the Python version (about 1,000 levels on 3.11, 50,000 on 3.13), so nesting
  beyond :data:`MAX_DEPTH` is refused on every version;
- ``NaN`` and ``Infinity`` are not JSON at all (RFC 8259), and a value holding them would be
  written back as invalid JSON (a ``JSON`` scalar echoing it, say); nor is a number too large
  for a float (``1e400``), which ``json.loads`` makes ``inf``;
- an integer of more digits than Python converts (``sys.get_int_max_str_digits()``, 4,300
  by default) raises a plain ``ValueError``, not a ``json.JSONDecodeError``.

All four are refused here with :class:`JSONRefused`, a ``json.JSONDecodeError``, so every caller
that already answers malformed JSON (Strawberry's views and WebSocket handlers included)
answers these the same way. RFC 7493 (I-JSON) excludes the first and the last as well.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["MAX_DEPTH", "JSONRefused", "decode_json"]

# The deepest nesting of arrays and objects accepted, on every Python version.
MAX_DEPTH = 512

_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_DEEP = "The JSON is nested too deeply."


class JSONRefused(json.JSONDecodeError):
    """Valid JSON syntax that mizan_gql does not accept; ``msg`` is safe to show."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg, "", 0)


def _refuse_constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not a JSON value.")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JSONRefused("The JSON has a number too large for a float.")
    return value


# One decoder for every request (json.loads builds a new one whenever it is given options).
_decoder = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def decode_json(data: str | bytes) -> Any:
    """``json.loads`` (str, or bytes in UTF-8, -16 or -32) with the refusals above."""
    try:
        if isinstance(data, str):
            if data.startswith("\ufeff"):
                raise JSONRefused("The JSON starts with a byte order mark.")
            text = data
        else:
            text = data.decode(json.detect_encoding(data), "surrogatepass")
        value = _decoder.decode(text)
    except RecursionError:
        raise JSONRefused(_TOO_DEEP) from None
    except UnicodeDecodeError:
        raise JSONRefused("The JSON is not Unicode text.") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # the integer conversion limit: no other ValueError comes out of it
        raise JSONRefused("The JSON has a number with too many digits.") from None
    # Fewer brackets than MAX_DEPTH cannot nest deeper: most documents skip the walk.
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(value):
        raise JSONRefused(_TOO_DEEP)
    if _may_hold_surrogates(data) and _holds_surrogates(value):
        raise JSONRefused(
            "The JSON contains a lone surrogate (such as \\ud800), which is not Unicode text."
        )
    return value


def _may_hold_surrogates(data: str | bytes) -> bool:
    """A cheap scan of the raw text; only when it says yes is the decoded value walked."""
    if isinstance(data, bytes):
        # Escapes, or raw surrogates in CESU-8 form (json.loads decodes with surrogatepass).
        return b"\\u" in data or b"\xed" in data
    return "\\u" in data or (not data.isascii() and _SURROGATE.search(data) is not None)


def _holds_surrogates(value: Any) -> bool:
    pending = [value]  # a stack, not recursion: the value may nest deeply
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _too_deep(value: Any) -> bool:
    pending = [(value, 0)]  # a stack, not recursion
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth == MAX_DEPTH:
                return True
            pending.extend((child, depth + 1) for child in item)
    return False
