"""mizan_gql.W095: the admin's counters in a cache that stores nothing."""

from __future__ import annotations

from django.core import checks
from django.test import override_settings

from mizan_gql.observability.checks import check_observability


def test_a_dummy_cache_is_reported():
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        found = check_observability()
    assert [(type(m), m.id) for m in found] == [(checks.Warning, "mizan_gql.W095")]
    assert "DummyCache" in found[0].msg


def test_a_cache_that_stores_is_fine():
    assert check_observability() == []
