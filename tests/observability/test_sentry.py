"""Sentry set up as docs/observability.md says: expected errors (ClientError, auth refusals,
bad input, invalid or unparsable documents) create no event; an unexpected exception
creates exactly one, with its own type, message and traceback.

The requests go through Django's WSGI and ASGI handlers in a process of their own
(sentry_probe.py), since ``sentry_sdk.init`` patches Django and Strawberry process-wide;
its transport keeps the events in memory, nothing goes over the network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.servers import ROOT, server_env

EXPECTED = {
    "client error": "NOT_FOUND",
    "refusal": "UNAUTHENTICATED",
    "bad input": "BAD_USER_INPUT",
    "validation": "GRAPHQL_VALIDATION_FAILED",
    "parse": "GRAPHQL_PARSE_FAILED",
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "tests.observability.sentry_probe"],
        cwd=ROOT,
        env=server_env("tests.observability.sentry_settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_sentrys_strawberry_integration_is_on(outcomes):
    assert outcomes["integration"]["active"]
    assert "SentryAsyncExtension" in outcomes["integration"]["extensions"]


@pytest.mark.parametrize("stack", ["wsgi", "asgi"])
@pytest.mark.parametrize("case", list(EXPECTED))
def test_expected_errors_create_no_event(outcomes, stack, case):
    assert outcomes[f"{stack} {case}"] == {
        "status": 200,
        "codes": [EXPECTED[case]],
        "events": [],
    }


@pytest.mark.parametrize("stack", ["wsgi", "asgi"])
def test_an_unexpected_exception_creates_one_event_with_its_traceback(outcomes, stack):
    outcome = outcomes[f"{stack} unexpected"]
    assert outcome["codes"] == ["INTERNAL_SERVER_ERROR"]  # masked for the client
    [event] = outcome["events"]
    assert event["logger"] == "mizan_gql" and event["level"] == "error"
    [exception] = event["exceptions"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "secret database password is hunter2"
    assert exception["frames"] > 0
