"""Purgers run after a request that invalidated, through the real Django stacks."""

from __future__ import annotations

import json
import logging
import socket
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.test import override_settings

from mizan_gql.edge import (
    EdgePurgeMiddleware,
    LoggingPurger,
    PurgeError,
    Resolution,
    VarnishPurger,
    wait_for_purges,
)
from mizan_gql.edge.checks import check_edge_settings
from mizan_gql.edge.purgers import load_purger
from tests.conftest import codes_of

from . import purgers as recording

MIDDLEWARE = [
    "mizan_gql.edge.EdgePurgeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
RENAME = (
    "mutation($id: Int!, $name: String!) { ctxRename(userId: $id, displayName: $name) "
    "{ displayName } }"
)


def edge_records(caplog) -> list[logging.LogRecord]:
    """The records of mizan_gql.edge (Django 6's task framework logs each task it runs, on
    "django.tasks")."""
    return [r for r in caplog.records if r.name == "mizan_gql.edge"]


@pytest.fixture
def purged():
    recording.PURGED.clear()
    yield recording.PURGED
    recording.PURGED.clear()


@contextmanager
def edge_settings(*purgers, base_url="https://example.com", middleware=MIDDLEWARE, **more):
    """The settings of the block; purges handed over in it are made before it ends (with the
    immediate backend the purge task runs in the background thread)."""
    mizan = {"EDGE_BASE_URL": base_url, "EDGE_PURGERS": list(purgers), **more}
    with override_settings(MIDDLEWARE=middleware, MIZAN=mizan):
        try:
            yield
        finally:
            assert wait_for_purges(10), "the edge purge did not finish within 10 s"


async def test_a_mutation_purges_its_urls_and_tags(gql, purged):
    with edge_settings("tests.edge.purgers.RecordingPurger"):
        body = await gql.execute(RENAME, {"id": 5, "name": "Five"})
    assert body["data"] == {"ctxRename": {"displayName": "Five"}}
    assert purged == [
        Resolution(
            urls=("https://example.com/graphql/ctx/ctx_user/?user_id=5",),
            tags=("ctx:ctx_user:user_id=5",),
        )
    ]


async def test_what_is_purged_is_what_the_server_serves(gql, purged):
    with edge_settings("tests.edge.purgers.RecordingPurger", base_url=""):
        await gql.execute(RENAME, {"id": 12, "name": "Twelve"})
        assert wait_for_purges(10)
        (resolution,) = purged
        (url,) = resolution.urls
        response = await gql.get(url)
    assert response.status_code == 200
    assert json.loads(response.content)["data"]["ctxProfile"]["displayName"] == "Twelve"
    assert set(resolution.tags) <= set(response["xkey"].split())
    assert set(resolution.tags) <= set(response["Surrogate-Key"].split())
    assert set(resolution.tags) <= set(response["Cache-Tag"].split(","))


async def test_requests_that_invalidate_nothing_purge_nothing(gql, purged):
    with edge_settings("tests.edge.purgers.RecordingPurger"):
        await gql.get("/graphql/ctx/ctx_user/?user_id=5")
        await gql.execute("query { ctxProfile(userId: 5) { displayName } }")
    assert purged == []


async def test_a_failed_mutation_purges_nothing(gql, purged):
    with edge_settings("tests.edge.purgers.RecordingPurger"):
        body = await gql.post("mutation { ctxRenameFails(userId: 5) }")
    assert codes_of(json.loads(body.content)) == ["INTERNAL_SERVER_ERROR"]
    assert purged == []


async def test_a_broken_purger_never_breaks_the_response(gql, purged, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="mizan_gql.edge"),
        edge_settings(
            "tests.edge.purgers.FailingPurger",
            "tests.edge.purgers.RecordingPurger",
            EDGE_PURGE_RETRIES=0,
        ),
    ):
        body = await gql.execute(RENAME, {"id": 7, "name": "Seven"})
    assert body["data"]["ctxRename"]["displayName"] == "Seven"
    assert len(purged) == 1  # the next purger still ran
    assert [r.getMessage() for r in edge_records(caplog)] == [
        "Edge purge lost after 1 attempt(s) (FailingPurger: the CDN API is down): "
        "urls=https://example.com/graphql/ctx/ctx_user/?user_id=7 "
        "tags=ctx:ctx_user:user_id=7 prefixes=-"
    ]


async def test_the_logging_purger(gql, caplog):
    with (
        caplog.at_level(logging.INFO, logger="mizan_gql.edge"),
        edge_settings("mizan_gql.edge.LoggingPurger"),
    ):
        await gql.execute(RENAME, {"id": 8, "name": "Eight"})
    assert [r.getMessage() for r in edge_records(caplog)] == [
        "edge purge urls=https://example.com/graphql/ctx/ctx_user/?user_id=8 "
        "tags=ctx:ctx_user:user_id=8 prefixes=-"
    ]


def test_varnish_purger_failures_are_raised_for_the_task_to_retry():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    purger = VarnishPurger(servers=[f"http://127.0.0.1:{port}"], timeout=1)
    with pytest.raises(PurgeError) as raised:
        purger.purge(Resolution(urls=("https://example.com/profile/5/",), tags=("ctx:user",)))
    assert raised.value.retryable
    assert f"PURGE 127.0.0.1:{port}/profile/5/" in str(raised.value)


@pytest.mark.parametrize(
    "item, message",
    [
        ("nowhere.Purger", "Cannot import the edge purger 'nowhere.Purger'"),
        ({"BACKEND": "mizan_gql.edge.LoggingPurger", "OPTIONS": {"colour": 1}}, "colour"),
        ({"BACKEND": "mizan_gql.edge.VarnishPurger", "OPTIONS": {"servers": ["x"]}}, "'x'"),
        ({"OPTIONS": {}}, "must be a dotted path"),
        (3, "must be a dotted path"),
    ],
)
def test_bad_purger_settings_are_check_errors(item, message):
    with override_settings(MIDDLEWARE=MIDDLEWARE, MIZAN={"EDGE_PURGERS": [item]}):
        errors = check_edge_settings()
    assert [e.id for e in errors] == ["mizan_gql.E060"]
    assert errors[0].msg.startswith("MIZAN['EDGE_PURGERS'][0]: ")
    assert message in errors[0].msg


def test_purgers_without_the_middleware_are_fine():
    with override_settings(MIZAN={"EDGE_PURGERS": ["mizan_gql.edge.LoggingPurger"]}):
        assert check_edge_settings() == []


def test_purgers_of_the_wrong_type_are_reported_by_the_settings_check():
    from mizan_gql.checks import check_settings

    with override_settings(MIZAN={"EDGE_PURGERS": "mizan_gql.edge.LoggingPurger"}):
        assert [e.id for e in check_settings()] == ["mizan_gql.E002"]
        assert check_edge_settings() == []


def test_manage_py_check_runs_the_edge_checks():
    from io import StringIO

    from django.core.management.base import SystemCheckError

    with (
        override_settings(MIDDLEWARE=MIDDLEWARE, MIZAN={"EDGE_PURGERS": ["nowhere.Purger"]}),
        pytest.raises(SystemCheckError, match="mizan_gql.E060"),
    ):
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_purger_options_reach_the_backend():
    purger = load_purger({"BACKEND": "mizan_gql.edge.LoggingPurger", "OPTIONS": {"level": "DEBUG"}})
    assert isinstance(purger, LoggingPurger) and purger.level == logging.DEBUG
    varnish = load_purger(
        {"BACKEND": "mizan_gql.edge.VarnishPurger", "OPTIONS": {"servers": "http://[::1]:6081"}}
    )
    assert isinstance(varnish, VarnishPurger) and varnish.servers == ["http://[::1]:6081"]


def test_the_middleware_is_public():
    import mizan_gql
    from mizan_gql.edge import middleware

    assert EdgePurgeMiddleware is middleware.EdgePurgeMiddleware
    assert mizan_gql.generate_edge_manifest.__module__ == "mizan_gql.edge.manifest"
