"""mizan_gql.W095: the admin's counters in a cache that stores nothing; mizan_gql.E096: the
Debug Toolbar panel configured without its app."""

from __future__ import annotations

import pytest
from django.core import checks
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import override_settings

from mizan_gql.checks import TOOLBAR_PANEL, check_toolbar_panel
from mizan_gql.observability.checks import check_observability
from mizan_gql.observability.panel import MizanPanel


def test_a_dummy_cache_is_reported():
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        found = check_observability()
    assert [(type(m), m.id) for m in found] == [(checks.Warning, "mizan_gql.W095")]
    assert "DummyCache" in found[0].msg


def test_a_cache_that_stores_is_fine():
    assert check_observability() == []


PANELS = ["debug_toolbar.panels.sql.SQLPanel", "mizan_gql.observability.panel.MizanPanel"]


def apps(settings, observability: bool) -> list[str]:
    """The test project's apps with the Debug Toolbar, with or without the observability app."""
    kept = [a for a in settings.INSTALLED_APPS if observability or a != "mizan_gql.observability"]
    return [*kept, "debug_toolbar"]


def test_the_panel_without_its_app_is_an_error(settings):
    with override_settings(INSTALLED_APPS=apps(settings, False), DEBUG_TOOLBAR_PANELS=PANELS):
        found = [m for m in checks.run_checks() if m.id == "mizan_gql.E096"]
        # What the error says: the panel's template belongs to the app.
        with pytest.raises(TemplateDoesNotExist):
            get_template("mizan_gql_observability/panel.html")
    assert found == [
        checks.Error(
            "DEBUG_TOOLBAR_PANELS names 'mizan_gql.observability.panel.MizanPanel' but "
            "'mizan_gql.observability' is not in INSTALLED_APPS: the panel's template cannot "
            "be found and no operations are recorded for it.",
            hint="Add 'mizan_gql.observability' to INSTALLED_APPS after 'mizan_gql', or "
            "remove the panel from DEBUG_TOOLBAR_PANELS.",
            id="mizan_gql.E096",
        )
    ]


def test_the_panel_with_its_app_or_no_panel_is_fine(settings):
    without = apps(settings, False)
    with override_settings(INSTALLED_APPS=apps(settings, True), DEBUG_TOOLBAR_PANELS=PANELS):
        assert check_toolbar_panel() == []
    with override_settings(INSTALLED_APPS=without, DEBUG_TOOLBAR_PANELS=PANELS[:1]):
        assert check_toolbar_panel() == []
    with override_settings(INSTALLED_APPS=without):  # the toolbar's default panels
        assert check_toolbar_panel() == []


def test_the_checked_path_is_the_panels():
    assert f"{MizanPanel.__module__}.{MizanPanel.__qualname__}" == TOOLBAR_PANEL
