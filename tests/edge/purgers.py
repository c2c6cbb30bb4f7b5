"""Purger backends of the tests: what a project plugs in for Fastly, Cloudflare, ..."""

from __future__ import annotations

from mizan_gql.edge import BasePurger, Resolution

PURGED: list[Resolution] = []


class RecordingPurger(BasePurger):
    """Keeps every resolution it is asked to purge (in this process)."""

    def __init__(self, label: str = "recording") -> None:
        self.label = label

    def purge(self, resolution: Resolution) -> None:
        PURGED.append(resolution)


class FailingPurger(BasePurger):
    def purge(self, resolution: Resolution) -> None:
        raise ConnectionError("the CDN API is down")
