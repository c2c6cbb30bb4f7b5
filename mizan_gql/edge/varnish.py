"""``VarnishPurger``: ``PURGE`` requests to Varnish servers running mizan_gql's VCL."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from .purge_api import PurgeError, send
from .purgers import BasePurger
from .resolver import Resolution

__all__ = ["TAGS_HEADER", "VarnishPurger"]

# Request header the generated VCL reads on a PURGE to purge by tag (xkey) instead of URL.
TAGS_HEADER = "X-Mizan-Purge-Tags"


class VarnishPurger(BasePurger):
    """Purges Varnish servers running the VCL of ``export_edge_manifest --format vcl``.

    Each exact URL gets ``PURGE <path>`` (``Host`` from the URL, or ``host``); tags get one
    ``PURGE /`` carrying ``X-Mizan-Purge-Tags: <tags>``, which the VCL hands to
    ``xkey.purge``. Tags also cover what URLs cannot list (a whole context), so keep
    ``tags=True`` unless your Varnish has no xkey. A server that cannot be reached or
    answers 429/5xx fails the purge, and the task retries it.
    """

    def __init__(
        self,
        servers: Sequence[str] = ("http://127.0.0.1:6081",),
        host: str | None = None,
        urls: bool = True,
        tags: bool = True,
        timeout: float = 2.0,
    ) -> None:
        if isinstance(servers, str):
            servers = [servers]
        self.servers = [_server(s) for s in servers]
        self.host = host
        self.urls = urls
        self.tags = tags
        self.timeout = float(timeout)

    def purge(self, resolution: Resolution) -> None:
        # Every server is purged even when one fails; the retry purges them all again.
        errors: list[PurgeError] = []
        for server in self.servers:
            try:
                self._purge(server, resolution)
            except PurgeError as exc:
                errors.append(exc)
        if errors:
            raise PurgeError(
                "; ".join(map(str, errors)), retryable=any(e.retryable for e in errors)
            )

    def _purge(self, server: str, resolution: Resolution) -> None:
        netloc = urlsplit(server).netloc
        if self.urls:
            for url in resolution.urls:
                parts = urlsplit(url)
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                host = self.host or parts.netloc or netloc
                self._send(server, target or "/", {"Host": host})
        if self.tags and resolution.tags:
            host = self.host or netloc
            self._send(server, "/", {"Host": host, TAGS_HEADER: " ".join(resolution.tags)})

    def _send(self, server: str, target: str, headers: dict[str, str]) -> None:
        send("PURGE", server, headers=headers, timeout=self.timeout, target=target)


def _server(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Varnish server {url!r} must be an URL such as 'http://127.0.0.1:6081'")
    return f"{parts.scheme}://{parts.netloc}"
