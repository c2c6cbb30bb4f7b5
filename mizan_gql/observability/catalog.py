"""Every context as the admin shows it: policy, parameters, URLs, tags and counters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ..contexts import context_policy
from ..edge import site_manifest
from ..registry.core import get_registry
from .counters import COUNTERS, read_window, recent_invalidations

__all__ = ["ContextRow", "catalog"]


@dataclass
class ContextRow:
    name: str
    cache: str
    ttl: int
    params: list[tuple[str, str]]  # name, type
    functions: list[str]
    views: list[str]
    endpoints: list[str]
    tags: list[str]
    counters: dict[str, int]
    recent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def average_compute_ms(self) -> float | None:
        computes = self.counters["computes"]
        return round(self.counters["compute_us"] / computes / 1000, 2) if computes else None


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation)


def catalog() -> list[ContextRow]:
    """The registry's contexts by name, with the counters of the last hour."""
    COUNTERS.flush()  # this process's latest counts first
    contexts = get_registry().contexts()
    names = sorted(contexts)
    manifest = site_manifest().get("contexts", {})
    counters = read_window(names)
    recent = [
        {**event, "when": datetime.datetime.fromtimestamp(event["time"], datetime.UTC)}
        for event in recent_invalidations()
    ]
    rows = []
    for name in names:
        policy = context_policy(name)
        described = manifest.get(name, {})
        rows.append(
            ContextRow(
                name=name,
                cache=policy.cache,
                ttl=policy.ttl,
                params=[(p.name, _type_name(p.annotation)) for p in contexts[name][0].params],
                functions=[f["name"] for f in described.get("functions", [])],
                views=list(described.get("views", [])),
                endpoints=list(described.get("endpoints", [])),
                tags=list(described.get("tags", [])),
                counters=counters[name],
                recent=[event for event in recent if event["context"] == name][:10],
            )
        )
    return rows
