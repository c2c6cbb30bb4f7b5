"""Send requests through the test project with Sentry set up (sentry_settings.py) and print,
as JSON, each request's status, error codes and the events Sentry would have sent.

Run by test_sentry.py in a process of its own, since ``sentry_sdk.init`` patches Django and
Strawberry for the whole process: ``DJANGO_SETTINGS_MODULE=tests.observability.sentry_settings
python -m tests.observability.sentry_probe``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import django

django.setup()

import sentry_sdk  # noqa: E402
from django.test import AsyncClient, Client  # noqa: E402

from tests.observability.sentry_settings import EVENTS  # noqa: E402

QUERIES = {
    "client error": '{ fail(code: "NOT_FOUND") }',
    "refusal": "{ secretUser }",
    "bad input": "{ positive(value: 0) }",
    "validation": "{ noSuchField }",
    "parse": "{ echo(",
    "unexpected": '{ fail(code: "boom") }',
}


def summary(event: dict[str, Any]) -> dict[str, Any]:
    exceptions = (event.get("exception") or {}).get("values") or []
    return {
        "logger": event.get("logger"),
        "level": event.get("level"),
        "exceptions": [
            {
                "type": e.get("type"),
                "value": e.get("value"),
                "mechanism": (e.get("mechanism") or {}).get("type"),
                "frames": len((e.get("stacktrace") or {}).get("frames") or []),
            }
            for e in exceptions
        ],
    }


def outcome(response: Any) -> dict[str, Any]:
    sentry_sdk.flush(timeout=5)
    body = json.loads(response.content)
    events = [summary(e) for e in EVENTS]
    EVENTS.clear()
    return {
        "status": response.status_code,
        "codes": [e["extensions"]["code"] for e in body.get("errors", [])],
        "events": events,
    }


def body(query: str) -> str:
    return json.dumps({"query": query})


def over_wsgi() -> dict[str, Any]:
    client = Client()
    return {
        f"wsgi {name}": outcome(
            client.post("/graphql", body(query), content_type="application/json")
        )
        for name, query in QUERIES.items()
    }


async def over_asgi() -> dict[str, Any]:
    client = AsyncClient()
    results = {}
    for name, query in QUERIES.items():
        response = await client.post("/graphql", body(query), content_type="application/json")
        results[f"asgi {name}"] = outcome(response)
    return results


def integration() -> dict[str, Any]:
    """Whether Sentry's Strawberry integration is on, and its extension in mizan's schema."""
    from sentry_sdk.integrations.strawberry import StrawberryIntegration

    from mizan_gql.schema import get_schema

    active = sentry_sdk.get_client().get_integration(StrawberryIntegration) is not None
    names = [getattr(e, "__name__", type(e).__name__) for e in get_schema().extensions]
    return {"active": active, "extensions": names}


if __name__ == "__main__":
    results = {"integration": integration(), **over_wsgi(), **asyncio.run(over_asgi())}
    json.dump(results, sys.stdout)
