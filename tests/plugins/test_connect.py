"""``Plugin.connect``: a feature's signal receivers are connected when it is registered."""

from __future__ import annotations

from mizan_gql.plugins import Plugin, get_plugins, register_plugin, use_plugins


def test_register_plugin_connects_and_use_plugins_does_not():
    connected: list[str] = []
    plugin = Plugin(name="connect-probe", order=999, connect=lambda: connected.append("x"))
    with use_plugins(plugin):  # adds it for the block only, without connecting
        assert connected == []
        register_plugin(plugin)  # as an AppConfig.ready() does
        assert connected == ["x"]
    assert "connect-probe" not in [p.name for p in get_plugins()]
