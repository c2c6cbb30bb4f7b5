"""``CloudflarePurger``: purge Cloudflare by URL and by cache tag through its API.

``POST /client/v4/zones/{zone_id}/purge_cache`` with ``{"files": [...]}`` for the exact
URLs and ``{"tags": [...]}`` for the tags (mizan_gql's cacheable responses carry them in
``Cache-Tag``), authenticated by an API token (``Authorization: Bearer``) with the zone's
Cache Purge permission. ``batch_size`` items per call: 30 is what every plan accepts
(raise it to your plan's limit). Cloudflare purges absolute URLs only: set
``MIZAN["EDGE_BASE_URL"]``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

from .purge_api import PurgeError, send
from .purgers import BasePurger, batches
from .resolver import Resolution

__all__ = ["CloudflarePurger"]

API_URL = "https://api.cloudflare.com/client/v4"


class CloudflarePurger(BasePurger):
    """``{"BACKEND": "mizan_gql.edge.CloudflarePurger", "OPTIONS": {"zone_id": ...,
    "api_token": ...}}``; ``urls``/``tags`` choose what is purged, ``api_url`` is for tests
    and proxies."""

    def __init__(
        self,
        zone_id: str,
        api_token: str,
        urls: bool = True,
        tags: bool = True,
        batch_size: int = 30,
        api_url: str = API_URL,
        timeout: float = 5.0,
    ) -> None:
        if not zone_id or not api_token:
            raise ValueError("CloudflarePurger needs a zone_id and an api_token")
        if int(batch_size) < 1:
            raise ValueError("batch_size must be at least 1")
        self.endpoint = f"{api_url.rstrip('/')}/zones/{quote(zone_id, safe='')}/purge_cache"
        self.api_token = api_token
        self.urls = urls
        self.tags = tags
        self.batch_size = int(batch_size)
        self.timeout = float(timeout)

    def purge(self, resolution: Resolution) -> None:
        if self.urls:
            relative = [url for url in resolution.urls if not urlsplit(url).netloc]
            if relative:
                raise PurgeError(
                    f"Cloudflare purges absolute URLs only, not {', '.join(relative)}: set "
                    "MIZAN['EDGE_BASE_URL'] (or urls=False to purge by tag only).",
                    retryable=False,
                )
            for files in batches(resolution.urls, self.batch_size):
                self._call({"files": files})
        if self.tags:
            for tags in batches(resolution.tags, self.batch_size):
                self._call({"tags": tags})

    def _call(self, payload: dict[str, Any]) -> None:
        headers = {
            "Authorization": f"Bearer {self.api_token}",
            "Content-Type": "application/json",
        }
        body = json.dumps(payload).encode()
        reply = send("POST", self.endpoint, headers=headers, body=body, timeout=self.timeout)
        try:
            answer = json.loads(reply.body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or answer.get("success") is not True:
            raise PurgeError(
                f"Cloudflare refused the purge: {reply.body[:200].decode(errors='replace')}",
                retryable=False,
            )
