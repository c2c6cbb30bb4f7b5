"""The edge purge task on a backend that defers (retries enqueued with ``run_after``), and
the checks of its settings."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core import checks
from django.test import override_settings
from django.utils.module_loading import import_string

from mizan_gql.edge.checks import check_edge_settings
from mizan_gql.edge.taskqueue import task_backends
from mizan_gql.edge.tasks import purge_edge

from . import purgers as recording
from .test_purge import edge_records

# Backends of the framework mizan_gql.edge.taskqueue found (Django 6's or django-tasks).
BACKENDS = task_backends.__module__.split(".")[0] + (
    ".tasks.backends" if task_backends.__module__.startswith("django.") else ".backends"
)


@pytest.fixture
def dummy_tasks():
    """A backend that keeps enqueued tasks (and defers) instead of running them: the test
    plays the worker."""
    with override_settings(TASKS={"default": {"BACKEND": f"{BACKENDS}.dummy.DummyBackend"}}):
        backend = task_backends["default"]
        backend.clear()
        yield backend
        backend.clear()


def test_a_failed_purge_is_enqueued_again_to_run_later(dummy_tasks, caplog):
    recording.PURGED.clear()
    mizan = {
        "EDGE_PURGERS": ["tests.edge.purgers.FailingPurger", "tests.edge.purgers.RecordingPurger"],
        "EDGE_PURGE_RETRIES": 1,
        "EDGE_PURGE_BACKOFF": 30,
        "EDGE_PURGE_BACKOFF_MAX": 3600,
    }
    with override_settings(MIZAN=mizan), caplog.at_level(logging.WARNING, "mizan_gql.edge"):
        before = datetime.now(UTC)
        purge_edge.call(["https://example.com/a/"], ["ctx:a"], [], [0, 1])
        (retry,) = dummy_tasks.results
        # Only the purger that failed is retried, 30 s later, as attempt 2.
        assert list(retry.args) == [["https://example.com/a/"], ["ctx:a"], [], [0], 2]
        assert retry.task.func is purge_edge.func
        # What a worker imports to run it.
        assert retry.task.module_path == "mizan_gql.edge.tasks.purge_edge"
        assert import_string(retry.task.module_path).func is purge_edge.func
        assert before + timedelta(seconds=29) < retry.task.run_after
        assert retry.task.run_after < datetime.now(UTC) + timedelta(seconds=31)
        assert len(recording.PURGED) == 1
        # The worker runs the retry: it fails again and is the last one.
        purge_edge.call(*retry.args)
        assert len(dummy_tasks.results) == 1
    messages = [r.getMessage() for r in edge_records(caplog)]
    assert messages[0].startswith("Edge purger FailingPurger failed (attempt 1 of 2), retrying")
    assert messages[1] == (
        "Edge purge lost after 2 attempt(s) (FailingPurger: the CDN API is down): "
        "urls=https://example.com/a/ tags=ctx:a prefixes=-"
    )
    recording.PURGED.clear()


def test_the_backoff_doubles_up_to_its_limit():
    from mizan_gql.edge.tasks import retry_delay

    mizan = {"EDGE_PURGE_BACKOFF": 1, "EDGE_PURGE_BACKOFF_MAX": 5}
    with override_settings(MIZAN=mizan):
        assert [retry_delay(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


def edge_checks(**mizan):
    with override_settings(MIZAN={"EDGE_PURGERS": ["mizan_gql.edge.LoggingPurger"], **mizan}):
        return check_edge_settings()


def test_an_unknown_task_backend_is_a_check_error():
    (error,) = edge_checks(EDGE_TASK_BACKEND="edge")
    assert error.id == "mizan_gql.E062"
    assert error.msg.startswith("MIZAN['EDGE_TASK_BACKEND'] 'edge' is not a usable task backend")


def test_a_queue_the_backend_does_not_serve_is_a_check_error():
    (error,) = edge_checks(EDGE_TASK_QUEUE="purges")
    assert error.id == "mizan_gql.E062"
    assert "does not take the edge purge task on the queue 'purges'" in error.msg
    with override_settings(
        TASKS={
            "default": {
                "BACKEND": f"{BACKENDS}.immediate.ImmediateBackend",
                "QUEUES": ["default", "purges"],
            }
        }
    ):
        assert edge_checks(EDGE_TASK_QUEUE="purges") == []


@pytest.mark.parametrize(
    "retries, backoff, longest",
    [(-1, 1, 300), (5, 0, 300), (5, 10, 5)],
)
def test_bad_retry_settings_are_a_check_error(retries, backoff, longest):
    errors = edge_checks(
        EDGE_PURGE_RETRIES=retries, EDGE_PURGE_BACKOFF=backoff, EDGE_PURGE_BACKOFF_MAX=longest
    )
    assert errors == [
        checks.Error(
            f"Edge purge retries are misconfigured: EDGE_PURGE_RETRIES={retries!r}, "
            f"EDGE_PURGE_BACKOFF={backoff!r}, EDGE_PURGE_BACKOFF_MAX={longest!r}.",
            hint="EDGE_PURGE_RETRIES must be 0 or more, and 0 < EDGE_PURGE_BACKOFF <= "
            "EDGE_PURGE_BACKOFF_MAX (seconds).",
            id="mizan_gql.E063",
        )
    ]


def test_the_default_settings_pass_the_checks():
    assert edge_checks() == []
