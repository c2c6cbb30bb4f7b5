"""``OneThreadASGIHandler``: Django's ASGI handler, with the middleware stack in one thread.

Under ASGI, Django runs each synchronous middleware method in a worker thread and comes back
to the event loop after it: with the usual stack (security, sessions, common, CSRF,
authentication) a request crosses between the loop and a thread a dozen times - each
``process_request``, ``process_view`` and ``process_response``, the ``request_started``
signal, ``response.close()`` - and each request starts a thread of its own for that
(asgiref's ``ThreadSensitiveContext``). The crossings, not the middleware, are most of what
a small request costs.

This handler runs the middleware stack as Django's WSGI handler does - synchronously - in
one worker thread, and an ``async def`` view back on the event loop from there
(``async_to_sync``, as under WSGI): four crossings instead of twelve. The threads are kept
and reused, one request at a time each, as a WSGI server's are. Everything else (reading
the body, disconnects, streaming and file responses, the signals) is Django's
``ASGIHandler``, unchanged, and every thread-sensitive call of a request still runs in that
request's thread.

:func:`mizan_gql.wrap_asgi` sends the GraphQL endpoint's requests here when the application
it wraps is Django's own handler. Another application can route paths of its choice to
one::

    django_asgi = get_asgi_application()  # sets Django up first
    one_thread = OneThreadASGIHandler()
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.base import BaseHandler
from django.http import HttpRequest, HttpResponseBase

__all__ = ["OneThreadASGIHandler"]

# Idle request threads kept for the next requests; more run while more requests do.
MAX_IDLE_THREADS = 32


class OneThreadASGIHandler(ASGIHandler):
    """An ASGI handler running ``MIDDLEWARE`` and the view in one worker thread per request."""

    def __init__(self) -> None:
        BaseHandler.__init__(self)
        # The synchronous chain, as WSGIHandler loads it: async-only middleware and async
        # views are adapted with async_to_sync (they run on the event loop).
        self.load_middleware(is_async=False)
        self.idle_threads: list[ThreadPoolExecutor] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"{type(self).__name__} serves HTTP only, not {scope['type']}.")
        thread = self.idle_threads.pop() if self.idle_threads else _request_thread()
        # Every thread-sensitive call of the request (the signals, the middleware and the
        # view, response.close()) runs in this one thread, which is idle again once handle
        # returns: close() and request_finished are the last things it runs.
        async with ThreadSensitiveContext(executor=thread):
            await self.handle(scope, receive, send)
        if len(self.idle_threads) < MAX_IDLE_THREADS:
            self.idle_threads.append(thread)
        else:
            thread.shutdown(wait=False)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


def _request_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="mizan-request")
