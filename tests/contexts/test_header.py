"""The X-Mizan-Invalidate grammar: hostile values round-trip and never break the header."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mizan_gql.contexts import Invalidation, encode_invalidations, parse_invalidations
from mizan_gql.contexts.keys import canonical, digest

HOSTILE = st.sampled_from([";", ",", "=", "%", " ", "\r", "\n", "\r\n", "é", "☃", "%3B", ", x"])
texts = st.lists(st.one_of(st.text(), HOSTILE), max_size=4).map("".join)
names = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True), texts.filter(bool))
entries = st.builds(
    Invalidation,
    context=names,
    params=st.dictionaries(names, texts, max_size=4),
)


@given(st.lists(entries, max_size=5))
def test_parse_of_encode_is_identity(items):
    header = encode_invalidations(items)
    unique = list(dict.fromkeys(items))  # encoding drops repeated entries
    assert parse_invalidations(header) == unique
    assert [dict(e.params) for e in parse_invalidations(header)] == [dict(e.params) for e in unique]


@given(st.lists(entries, max_size=5))
def test_header_is_printable_ascii_without_line_breaks(items):
    header = encode_invalidations(items)
    assert header.isascii()
    assert "\r" not in header and "\n" not in header
    assert all(c == " " or c.isprintable() for c in header)


@given(entries)
def test_keys_are_sorted_and_the_separators_are_only_structural(entry):
    header = encode_invalidations([entry])
    context, *pairs = header.split(";")
    assert "," not in header and " " not in header
    keys = [unquote(pair.split("=")[0]) for pair in pairs]
    assert keys == sorted(keys)  # sorted by name (their encoded forms follow)
    assert all(pair.count("=") == 1 for pair in pairs)


def test_the_documented_forms():
    assert encode_invalidations([Invalidation("user", {"user_id": 5})]) == "user;user_id=5"
    assert encode_invalidations([Invalidation("user")]) == "user"
    two = [Invalidation("user", {"user_id": 5, "lang": "en"}), Invalidation("feed")]
    assert encode_invalidations(two) == "user;lang=en;user_id=5, feed"
    hostile = Invalidation("user", {"name": "a;b,c=d%e f\r\nX-Evil: 1é"})
    assert encode_invalidations([hostile]) == (
        "user;name=a%3Bb%2Cc%3Dd%25e%20f%0D%0AX-Evil%3A%201%C3%A9"
    )


def test_non_string_values_use_their_json_text():
    header = encode_invalidations([Invalidation("c", {"b": True, "n": None, "i": 5, "f": 1.5})])
    assert header == "c;b=true;f=1.5;i=5;n=null"


@pytest.mark.parametrize(
    "header",
    [
        "user;user_id",  # no "="
        "user;=5",  # no name
        ";user_id=5",  # no context
        "user,,feed",  # empty entry
        "user;user_id=5;user_id=6",  # repeated parameter
        "user;user_id=5\r\nX-Evil: 1",  # raw control characters
        "user;name=a b",  # raw space inside a value
        "us=er",  # raw "=" in a context name
        "user;name=%FF",  # not UTF-8
    ],
)
def test_parse_refuses_what_encode_cannot_produce(header):
    with pytest.raises(ValueError):
        parse_invalidations(header)


def test_empty_header_means_nothing():
    assert parse_invalidations("") == []
    assert encode_invalidations([]) == ""


@given(st.one_of(st.integers(), st.text(), st.booleans(), st.none(), st.floats()))
def test_canonical_keys_are_type_aware(value):
    assert digest({"user_id": value}) != digest({"user_id": str(value) + "\x00"})
    if not isinstance(value, str):
        assert canonical(value) != canonical(str(value))
        assert digest({"user_id": value}) != digest({"user_id": str(value)})


def test_separator_values_cannot_collide():
    assert digest({"a": "x:y", "b": "z"}) != digest({"a": "x", "b": "y:z"})
    assert digest({"a": 'x","b'}) != digest({"a": "x", "b": ""})
    assert digest({"user_id": 5}) != digest({"user_id": "5"})
    assert digest({"flag": True}) != digest({"flag": 1})
