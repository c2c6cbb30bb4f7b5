"""A small HTTP/1.1 client for Server-Sent Events on 127.0.0.1 (tests and bench/fanout.py).

One request per connection (``Connection: close``); a response body is read as it comes
(chunked or not), and an ``text/event-stream`` one is parsed into ``(event, data)`` pairs.
Every read has a timeout.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

HOST = "127.0.0.1"


class Response:
    """An HTTP response whose body is read on demand."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.status = 0
        self.headers: dict[str, str] = {}
        self._buffer = b""
        self._chunked = False
        self._done = False
        self._pending: asyncio.Future[bytes | None] | None = None

    async def _head(self, timeout: float) -> None:
        raw = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout)
        lines = raw.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                self.headers[name.strip().lower()] = value.strip()
        self._chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"

    async def _more(self, timeout: float) -> bool:
        """Read the next piece of the body into the buffer; False at its end. A timeout
        leaves the read pending (a chunk half read stays whole), for the next call."""
        if self._done:
            return False
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._piece())
        data = await asyncio.wait_for(asyncio.shield(self._pending), timeout)
        self._pending = None
        if data is None:
            self._done = True
            return False
        self._buffer += data
        return True

    async def _piece(self) -> bytes | None:
        if self._chunked:
            size = int((await self.reader.readline()).strip() or b"0", 16)
            if size == 0:
                return None
            return (await self.reader.readexactly(size + 2))[:-2]
        return await self.reader.read(65536) or None

    async def body(self, timeout: float = 10) -> bytes:
        while await self._more(timeout):
            pass
        return self._buffer

    async def json(self, timeout: float = 10) -> Any:
        return json.loads(await self.body(timeout))

    async def event(self, timeout: float = 10) -> tuple[str, Any] | None:
        """The next event as ``(name, data)`` (data decoded from JSON, None when empty);
        None when the stream ended. Comments (keep-alives) are skipped."""
        while True:
            while b"\n\n" not in self._buffer:
                if not await self._more(timeout):
                    return None
            block, self._buffer = self._buffer.split(b"\n\n", 1)
            name, data = "message", []
            for line in block.decode().split("\n"):
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)
            if data or name != "message":
                text = "\n".join(data)
                return name, json.loads(text) if text else None

    async def close(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: Any = None,
    timeout: float = 10,
) -> Response:
    """Send one request (``body``: bytes, or anything JSON encodes) and read its head."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    data = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    head = {"Host": f"{HOST}:{port}", "Connection": "close", **(headers or {})}
    if body is not None:
        head.setdefault("Content-Type", "application/json")
        head["Content-Length"] = str(len(data))
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    writer.write("\r\n".join(lines).encode("latin-1") + data)
    await writer.drain()
    response = Response(reader, writer)
    await response._head(timeout)
    return response
