"""``FastlyPurger``: purge Fastly by surrogate key through its purge API.

mizan_gql's cacheable responses carry their tags in ``Surrogate-Key``, which Fastly indexes
them by; purging the tags of a resolution purges every URL it names and every URL it
cannot list (a whole context). One ``POST /service/{service_id}/purge`` with
``{"surrogate_keys": [...]}`` per 256 keys (the API's batch limit), authenticated by
``Fastly-Key``; ``soft=True`` adds ``Fastly-Soft-Purge: 1`` (the objects are marked stale,
so ``stale-while-revalidate``/``stale-if-error`` can still serve them).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from .purge_api import send
from .purgers import BasePurger, batches
from .resolver import Resolution

__all__ = ["FastlyPurger"]

API_URL = "https://api.fastly.com"
MAX_KEYS = 256  # surrogate keys per batch purge request


class FastlyPurger(BasePurger):
    """``{"BACKEND": "mizan_gql.edge.FastlyPurger", "OPTIONS": {"service_id": ...,
    "api_key": ..., "soft": False}}``; ``api_url`` is for tests and proxies."""

    def __init__(
        self,
        service_id: str,
        api_key: str,
        soft: bool = False,
        api_url: str = API_URL,
        timeout: float = 5.0,
    ) -> None:
        if not service_id or not api_key:
            raise ValueError("FastlyPurger needs a service_id and an api_key")
        self.endpoint = f"{api_url.rstrip('/')}/service/{quote(service_id, safe='')}/purge"
        self.api_key = api_key
        self.soft = bool(soft)
        self.timeout = float(timeout)

    def purge(self, resolution: Resolution) -> None:
        headers = {
            "Fastly-Key": self.api_key,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        if self.soft:
            headers["Fastly-Soft-Purge"] = "1"
        for keys in batches(resolution.tags, MAX_KEYS):
            body = json.dumps({"surrogate_keys": keys}).encode()
            send("POST", self.endpoint, headers=headers, body=body, timeout=self.timeout)
