"""One HTTP request to a purge API, its failure classified for the retries.

A purger raises :class:`PurgeError` when the edge did not take a purge. ``retryable`` says
whether sending it again may succeed: a connection failure, a timeout, ``429 Too Many
Requests`` and any ``5xx`` may; another refusal (``401``, ``403``, ``400``: a wrong key,
token or request) will not, and is logged at once instead of being retried.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["PurgeError", "Reply", "send"]


class PurgeError(Exception):
    """The edge did not take a purge; ``retry_after`` is the wait it asked for, in seconds."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float = 0.0):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes


def send(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None = None,
    timeout: float,
    target: str | None = None,
) -> Reply:
    """Send one request; a reply below 300 is returned, anything else raises PurgeError.

    ``target`` replaces the request target taken from ``url`` (Varnish purges a path of
    another host than the one it is reached at).
    """
    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    if target is None:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = cls(parts.netloc, timeout=timeout)
    where = f"{method} {parts.netloc}{target}"
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        retry_after = response.getheader("Retry-After")
    except (OSError, http.client.HTTPException) as exc:
        raise PurgeError(f"{where}: {exc or type(exc).__name__}") from exc
    finally:
        connection.close()
    if response.status < 300:
        return Reply(response.status, content)
    raise PurgeError(
        f"{where} answered {response.status}: {content[:200].decode(errors='replace')}",
        retryable=response.status == 429 or response.status >= 500,
        retry_after=_seconds(retry_after),
    )


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:  # an HTTP date: the backoff decides
        return 0.0
