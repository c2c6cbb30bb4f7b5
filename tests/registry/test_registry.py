"""@client/register, autodiscovery of mizan_clients, and the registry freezing on build."""

import sys

import pytest

import tests.testapp
from mizan_gql import RegistrationError, client, get_schema, register
from mizan_gql.registry import autodiscover, get_registry, use_registry
from mizan_gql.schema import build_schema

from . import broken


def test_client_returns_the_function_unchanged():
    with use_registry() as registry:
        assert client(broken.plain) is broken.plain
        assert client(auth=True, description="d")(broken.first) is broken.first
        assert register(broken.second, "renamed") is broken.second
    assert [e.name for e in registry.functions] == ["first", "plain", "renamed"]
    assert broken.plain(None) == ""  # still a plain callable


def test_options_are_recorded():
    with use_registry() as registry:
        client(mutation=False, invalidates=["user"], auth="staff")(broken.rename)
    (entry,) = registry.functions
    assert entry.is_mutation  # invalidates= implies a mutation
    assert entry.options.auth == "staff"
    assert entry.options.invalidates == ("user",)
    assert [(p.name, p.annotation) for p in entry.params] == [("user_id", int)]


def test_register_renames_a_decorated_function_and_keeps_its_options():
    with use_registry() as registry:
        client(auth=True)(broken.first)
        register(broken.first, "primary")
    (entry,) = registry.functions
    assert (entry.name, entry.options.auth) == ("primary", True)


def test_autodiscover_imports_mizan_clients_of_installed_apps(monkeypatch):
    monkeypatch.delitem(sys.modules, "tests.testapp.mizan_clients")
    monkeypatch.delattr(tests.testapp, "mizan_clients")
    with use_registry() as registry:
        autodiscover()
        entry = registry.get("echo")
    assert entry is not None
    assert entry.func.__module__ == "tests.testapp.mizan_clients"


def test_the_project_schema_holds_the_discovered_functions():
    sdl = get_schema().as_str()
    assert "echo(text: String!): Output!" in sdl
    assert get_registry().frozen


def test_registry_is_frozen_once_the_schema_is_built():
    with use_registry() as registry:
        client(broken.plain)
        build_schema(registry)
        assert registry.frozen
        with pytest.raises(RegistrationError) as raised:
            client(broken.first)
        with pytest.raises(RegistrationError):
            register(broken.second, "second")
        with pytest.raises(RegistrationError):
            register(broken.plain, "new_name")
    message = str(raised.value)
    assert "Cannot register 'first'" in message
    assert "schema has already been built" in message
    assert "mizan_clients" in message and "AppConfig.ready()" in message
    assert [e.name for e in registry.functions] == ["plain"]


def test_late_registration_through_the_project_registry_fails_after_first_request():
    get_schema()
    with pytest.raises(RegistrationError, match="already been built"):
        client(broken.first)
