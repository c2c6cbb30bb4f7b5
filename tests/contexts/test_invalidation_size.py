"""Invalidations stay small: an oversized entry stands for its whole context, a header for
the whole contexts it names (coarser, never lost), and the server says so once."""

from __future__ import annotations

import logging

import pytest

from mizan_gql.contexts import invalidation
from mizan_gql.invalidation_header import MAX_ENTRY, MAX_HEADER
from tests.contexts_app.mizan_clients import CALLS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("context_cache")]

NOTE = "query($t: String!) { ctxNote(topic: $t) }"
TOUCH = "mutation($t: String!) { ctxTouch(topic: $t) }"
TOUCH_MANY = "mutation($t: [String!]!) { ctxTouchMany(topics: $t) }"


@pytest.fixture
def warnings(caplog, monkeypatch):
    """The warnings about oversized invalidations, as a fresh process would log them."""
    monkeypatch.setattr(invalidation, "_warned_too_long", set())
    caplog.set_level(logging.WARNING, logger="mizan_gql.contexts")

    def messages() -> list[str]:
        return [r.getMessage() for r in caplog.records if "longer than" in r.getMessage()]

    return messages


async def test_a_long_non_ascii_parameter_invalidates_the_whole_context(gql, users, warnings):
    topic = "ملاحظة" * 5_000  # 30,000 characters, ~180 KB percent-encoded
    await gql.force_login(users["alice"])
    await gql.execute(NOTE, {"t": topic})
    await gql.execute(NOTE, {"t": "short"})
    assert CALLS["ctx_note"] == 2

    response = await gql.post(TOUCH, {"t": topic})
    assert response.status_code == 200
    assert response["X-Mizan-Invalidate"] == "ctx_note, ctx_me"
    assert response.json()["extensions"]["mizan"]["invalidate"] == ["ctx_note", "ctx_me"]
    # Coarser: the short topic's entry was dropped too, and the long one certainly.
    await gql.execute(NOTE, {"t": topic})
    await gql.execute(NOTE, {"t": "short"})
    assert CALLS["ctx_note"] == 4

    await gql.post(TOUCH, {"t": topic})
    [warning] = warnings()  # once, not once per invalidation
    assert "'ctx_note'" in warning and str(MAX_ENTRY) in warning


async def test_an_entry_just_under_the_cap_keeps_its_parameters(gql, warnings):
    topic = "a" * (MAX_ENTRY - len("ctx_note;topic="))
    response = await gql.post(TOUCH, {"t": topic})
    assert response["X-Mizan-Invalidate"] == f"ctx_note;topic={topic}, ctx_me"
    assert warnings() == []


async def test_a_header_naming_too_many_entries_names_their_contexts(gql, warnings):
    topics = [f"{n:03}" + "t" * 900 for n in range(12)]  # each fits, together ~11 KB
    response = await gql.post(TOUCH_MANY, {"t": topics})
    assert response.status_code == 200
    header = response["X-Mizan-Invalidate"]
    assert header == "ctx_note"
    assert len(header.encode()) <= MAX_HEADER
    assert response.json()["extensions"]["mizan"]["invalidate"] == ["ctx_note"]
    assert warnings() == []  # each entry was fine: nothing to tell the developer


async def test_a_header_that_fits_lists_every_entry(gql):
    topics = [f"{n:03}" + "t" * 500 for n in range(12)]  # ~6 KB
    response = await gql.post(TOUCH_MANY, {"t": topics})
    assert response["X-Mizan-Invalidate"].split(", ") == [f"ctx_note;topic={t}" for t in topics]
