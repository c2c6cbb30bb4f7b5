"""The test project reporting to Sentry as docs/observability.md sets it up, with a transport
that keeps the events in memory (``EVENTS``) instead of sending them anywhere."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.strawberry import StrawberryIntegration
from sentry_sdk.transport import Transport

from tests.settings import *  # noqa: F403

EVENTS: list[dict[str, Any]] = []


class MemoryTransport(Transport):
    def capture_envelope(self, envelope: Any) -> None:
        for item in envelope.items:
            if item.type == "event":
                EVENTS.append(item.payload.json)


sentry_sdk.init(
    dsn="http://public@127.0.0.1:9/1",  # never contacted: MemoryTransport keeps the events
    transport=MemoryTransport,
    integrations=[DjangoIntegration(), StrawberryIntegration(async_execution=True)],
    traces_sample_rate=1.0,
)
