"""``mizan_settings``: ``settings.MIZAN`` over the defaults, read fresh after every change."""

from __future__ import annotations

import pytest
from django.test import override_settings

from mizan_gql.conf import mizan_settings


def test_a_value_read_before_follows_override_settings():
    assert mizan_settings.PERSISTED_QUERIES == "apq"  # read (and kept) first
    with override_settings(MIZAN={"PERSISTED_QUERIES": "trusted"}):
        assert mizan_settings.PERSISTED_QUERIES == "trusted"
        assert mizan_settings.DEFAULT_TTL == 300  # the defaults stay under the override
    assert mizan_settings.PERSISTED_QUERIES == "apq"


@pytest.mark.parametrize("debug", [True, False])
def test_unset_debug_defaults_follow_debug(debug):
    assert mizan_settings.GRAPHIQL is not None
    with override_settings(DEBUG=debug, MIZAN={}):
        assert mizan_settings.GRAPHIQL is debug
        assert mizan_settings.MASK_ERRORS is not debug


def test_an_unknown_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="Unknown MIZAN setting 'NO_SUCH'"):
        mizan_settings.NO_SUCH  # noqa: B018
    assert not hasattr(mizan_settings, "_private")
