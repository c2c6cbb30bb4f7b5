"""A TCP relay on 127.0.0.1: a Varnish the purger cannot reach until the test starts it."""

from __future__ import annotations

import socket
import threading


class Relay:
    """Forwards connections on ``port`` to ``target`` once :meth:`start` is called; until
    then nothing listens there (connections are refused, as by a Varnish that is down)."""

    def __init__(self, port: int, target: int) -> None:
        self.port = port
        self.target = target
        self.connections = 0
        self._server: socket.socket | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        server = socket.create_server(("127.0.0.1", self.port))
        server.settimeout(0.1)
        self._server = server
        self._spawn(self._accept, server)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for thread in self._threads:
            thread.join(5)

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, server: socket.socket) -> None:
        while self._server is server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            self._spawn(_pipe, client, upstream)
            self._spawn(_pipe, upstream, client)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    source.settimeout(10)
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
