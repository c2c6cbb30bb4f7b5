"""wrap_asgi's GraphQL requests through OneThreadASGIHandler: MIDDLEWARE and the view in one
thread, answering exactly as Django's own ASGI handler does.

Each request goes in process through ``wrap_asgi(get_asgi_application())`` (one thread) and
through ``wrap_asgi(..., one_thread=False)`` (Django's handler): the ASGI messages must be
equal. A middleware of the tests records which thread runs what.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import markcoroutinefunction
from django.core.asgi import get_asgi_application
from django.core.signals import request_finished, request_started
from django.db import connection, connections
from django.test import override_settings

from mizan_gql import wrap_asgi
from tests.support.asgi import Reply, call, http_scope
from tests.testapp.models import Author

pytestmark = pytest.mark.django_db(transaction=True)

WITNESS = "tests.http.test_one_thread.ThreadWitness"
ASYNC_ONLY = "tests.http.test_one_thread.AsyncOnlyHeader"
AUTHORS = json.dumps({"query": "{ authors { name } }"}).encode()
JSON = {"content-type": "application/json"}


class ThreadWitness:
    """Records the thread of each request's middleware and of its database queries."""

    seen: list[dict[str, Any]] = []

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        record: dict[str, Any] = {"middleware": threading.current_thread(), "queries": []}
        self.seen.append(record)

        def witness(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            # Installed on this thread's connection: it sees only queries made here.
            record["queries"].append(threading.current_thread())
            record["connection"] = connection.connection
            return execute(sql, params, many, context)

        with connection.execute_wrapper(witness):
            response = self.get_response(request)
        record["response"] = threading.current_thread()
        return response


class AsyncOnlyHeader:
    """A middleware that only runs on the event loop (Django adapts it to a sync chain)."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: Any) -> Any:
        response = await self.get_response(request)
        response["X-Async-Only"] = "seen"
        return response


@pytest.fixture
def witnessed(settings) -> Iterator[list[dict[str, Any]]]:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, WITNESS]
    ThreadWitness.seen = []
    yield ThreadWitness.seen


@pytest.fixture
def signals() -> Iterator[list[tuple[str, threading.Thread]]]:
    sent: list[tuple[str, threading.Thread]] = []

    def started(**kwargs: Any) -> None:
        sent.append(("started", threading.current_thread()))

    def finished(**kwargs: Any) -> None:
        sent.append(("finished", threading.current_thread()))

    request_started.connect(started, dispatch_uid="test_one_thread")
    request_finished.connect(finished, dispatch_uid="test_one_thread")
    yield sent
    request_started.disconnect(dispatch_uid="test_one_thread")
    request_finished.disconnect(dispatch_uid="test_one_thread")


def both() -> tuple[Any, Any]:
    """Django's handler behind wrap_asgi, and wrap_asgi's one-thread handler."""
    django_handler = wrap_asgi(get_asgi_application(), one_thread=False, context_hits=False)
    one_thread = wrap_asgi(get_asgi_application(), context_hits=False)
    assert one_thread.graphql_http is not None and django_handler.graphql_http is None
    return django_handler, one_thread


def comparable(reply: Reply) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    # A new CSRF cookie's value is random on each answer; its name and attributes are not.
    headers = [
        (name, value.split(b"=", 1)[0] + b"=..." + value[value.find(b";") :])
        if name == b"set-cookie"
        else (name, value)
        for name, value in reply.messages[0]["headers"]
    ]
    return reply.status, headers, reply.content


REQUESTS = {
    "query by POST": ("POST", "/graphql", JSON, AUTHORS),
    "query by GET": ("GET", "/graphql?query=%7B%20authors%20%7B%20name%20%7D%20%7D", {}, b""),
    "a function's error": (
        "POST",
        "/graphql",
        JSON,
        json.dumps({"query": '{ fail(code: "NOPE") }'}).encode(),
    ),
    "unknown field": ("POST", "/graphql", JSON, json.dumps({"query": "{ nope }"}).encode()),
    "malformed JSON": ("POST", "/graphql", JSON, b"{not json"),
    "wrong method": ("PUT", "/graphql", JSON, AUTHORS),
    "wrong content type": ("POST", "/graphql", {"content-type": "text/plain"}, AUTHORS),
    "GraphiQL page": ("GET", "/graphql", {"accept": "text/html"}, b""),
    "mutation with a session cookie and no CSRF token": (
        "POST",
        "/graphql",
        {**JSON, "cookie": "sessionid=abc"},
        json.dumps({"query": 'mutation { addAuthor(name: "x") { name } }'}).encode(),
    ),
    "context endpoint": ("GET", "/graphql/ctx/nope/", {}, b""),
    "trailing slash": ("POST", "/graphql/", JSON, AUTHORS),
}


@pytest.mark.parametrize("name", REQUESTS)
async def test_answers_as_djangos_handler_does(name):
    await Author.objects.acreate(name="Ursula")
    method, path, headers, body = REQUESTS[name]
    django_handler, one_thread = both()
    expected = await call(django_handler, path, headers, method, body)
    got = await call(one_thread, path, headers, method, body)
    assert comparable(got) == comparable(expected)
    assert expected.status < 500


async def test_one_thread_runs_the_request_and_is_reused(witnessed, signals):
    await Author.objects.acreate(name="Ursula")
    _, one_thread = both()
    for _ in range(2):
        reply = await call(one_thread, "/graphql", JSON, "POST", AUTHORS)
        assert json.loads(reply.content) == {"data": {"authors": [{"name": "Ursula"}]}}
    first, second = witnessed
    for request in witnessed:
        thread = request["middleware"]
        assert thread.name.startswith("mizan-request")
        # The function's query ran on the connection of the middleware's thread.
        assert request["queries"] and set(request["queries"]) == {thread}
        assert request["response"] is thread
    # Each request: request_started, then request_finished in its thread (so Django closes
    # the database connection that request used).
    assert [kind for kind, _ in signals] == ["started", "finished"] * 2
    assert all(thread is first["middleware"] for _, thread in signals)
    assert second["middleware"] is first["middleware"]  # the next request reuses the thread


@pytest.fixture
def conn_max_age() -> Iterator[Any]:
    """Sets CONN_MAX_AGE of the default database for the test."""
    database = connections.settings["default"]  # the dict every thread's connection reads
    before = database["CONN_MAX_AGE"]

    def set_to(seconds: int) -> None:
        database["CONN_MAX_AGE"] = seconds

    yield set_to
    database["CONN_MAX_AGE"] = before


async def close_connections_of(wrapped: Any) -> None:
    # The request threads keep their connections (that is the point); a test database
    # cannot be dropped while one is open.
    for thread in wrapped.graphql_http.idle_threads:
        await asyncio.wrap_future(thread.submit(connections.close_all))


async def test_persistent_connections_are_reused(witnessed, conn_max_age):
    conn_max_age(60)
    await Author.objects.acreate(name="Ursula")
    _, one_thread = both()
    try:
        for _ in range(2):
            assert (await call(one_thread, "/graphql", JSON, "POST", AUTHORS)).status == 200
    finally:
        await close_connections_of(one_thread)
    first, second = witnessed
    # As under WSGI: the next request's queries use the connection the last one opened.
    assert second["connection"] is first["connection"]


async def test_a_requests_connection_is_closed_at_its_end(witnessed, conn_max_age):
    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite database is never closed (PostgreSQL runs this)")
    conn_max_age(0)
    closed: list[tuple[threading.Thread, bool]] = []

    def finished(**kwargs: Any) -> None:  # after Django's close_old_connections
        closed.append((threading.current_thread(), connection.connection is None))

    request_finished.connect(finished, dispatch_uid="test_one_thread_closed")
    try:
        _, one_thread = both()
        assert (await call(one_thread, "/graphql", JSON, "POST", AUTHORS)).status == 200
    finally:
        request_finished.disconnect(dispatch_uid="test_one_thread_closed")
    # Closed in the thread whose connection the function's queries used.
    assert witnessed[0]["queries"] == [witnessed[0]["middleware"]]
    assert closed == [(witnessed[0]["middleware"], True)]


async def test_other_paths_stay_with_djangos_handler(witnessed):
    _, one_thread = both()
    await call(one_thread, "/admin/login/")
    await call(one_thread, "/graphql/stream", {"accept": "text/event-stream"})
    assert len(witnessed) == 2
    assert not any(r["middleware"].name.startswith("mizan-request") for r in witnessed)


async def test_only_djangos_own_handler_is_replaced(witnessed):
    django_app = get_asgi_application()

    async def own_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await django_app(scope, receive, send)  # e.g. an ASGI middleware of the project

    wrapped = wrap_asgi(own_app)
    assert wrapped.graphql_http is None
    reply = await call(wrapped, "/graphql", JSON, "POST", AUTHORS)
    assert reply.status == 200
    assert not witnessed[0]["middleware"].name.startswith("mizan-request")


async def test_async_only_middleware_still_runs(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, ASYNC_ONLY]
    _, one_thread = both()
    reply = await call(one_thread, "/graphql", JSON, "POST", AUTHORS)
    assert reply.status == 200
    assert reply["x-async-only"] == "seen"


class Broken:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        raise RuntimeError("a middleware failed")


@override_settings(MIDDLEWARE=["tests.http.test_one_thread.Broken"])
async def test_a_failing_middleware_is_djangos_500():
    django_handler, one_thread = both()
    expected = await call(django_handler, "/graphql", JSON, "POST", AUTHORS)
    got = await call(one_thread, "/graphql", JSON, "POST", AUTHORS)
    assert got.status == expected.status == 500
    assert comparable(got) == comparable(expected)


class Blocking:
    """Holds each request in its thread until the test lets it go."""

    entered = threading.Event()
    release = threading.Event()

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        Blocking.entered.set()
        Blocking.release.wait(timeout=10)
        return self.get_response(request)


async def test_a_client_gone_mid_request_leaves_the_handler_usable(witnessed, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.http.test_one_thread.Blocking"]
    Blocking.entered.clear()
    Blocking.release.clear()
    _, one_thread = both()
    gone = asyncio.Event()
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": AUTHORS, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = http_scope("/graphql", JSON, "POST")
    request = asyncio.ensure_future(one_thread(scope, receive, send))
    assert await asyncio.to_thread(Blocking.entered.wait, 10)
    gone.set()  # the client disconnects while the middleware holds the request
    await asyncio.sleep(0.1)
    Blocking.release.set()
    await asyncio.wait_for(request, timeout=10)
    assert sent == []  # nothing is sent to a client that has gone
    # The thread finished that request and serves the next one.
    reply = await call(one_thread, "/graphql", JSON, "POST", AUTHORS)
    assert reply.status == 200
    assert witnessed[1]["middleware"] is witnessed[0]["middleware"]
