"""ContextCacheASGI: public context hits answered before Django's handler, byte for byte.

Each request goes to Django's ASGI handler alone and to the same handler behind
``ContextCacheASGI``; the ASGI messages they send (status, every header in order, every
body chunk) must be equal, and ``request_started`` tells which requests reached Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.asgi import get_asgi_application
from django.core.signals import request_started

from mizan_gql import wrap_asgi
from mizan_gql.contexts import ainvalidate
from mizan_gql.http import ContextCacheASGI
from tests.persisted_app import mizan_clients
from tests.support.asgi import call

from .conftest import body_of

pytestmark = pytest.mark.django_db(transaction=True)

USER = "/graphql/ctx/pq_user/"


@pytest.fixture
def handled() -> Iterator[list[str]]:
    """The paths of the requests that reached Django's handler."""
    seen: list[str] = []

    def started(*, scope: dict[str, Any] | None = None, **kwargs: Any) -> None:
        seen.append(scope["path"] if scope else "?")

    request_started.connect(started, dispatch_uid="test_context_asgi")
    yield seen
    request_started.disconnect(dispatch_uid="test_context_asgi")


@pytest.fixture
def apps(passed):
    """Django's handler (the project stack, with ContextCacheMiddleware) and the same
    handler behind ContextCacheASGI."""
    django_app = get_asgi_application()
    return django_app, ContextCacheASGI(get_asgi_application())


async def both(apps, handled, path: str, headers: dict[str, str] | None = None, exact: bool = True):
    """The replies of both paths, checked equal; and how many reached Django."""
    django_app, layered = apps
    before = len(handled)
    expected = await call(django_app, path, headers)
    assert len(handled) == before + 1
    got = await call(layered, path, headers)
    if exact:
        assert got.messages == expected.messages
    else:  # equal but for the bytes (GZipMiddleware pads its output at random)
        assert (got.status, list(got.headers)) == (expected.status, list(expected.headers))
    return got, len(handled) - before - 1


async def test_hit_and_304_answered_before_django_identically(apps, handled, calls):
    # miss: both go down to the view (each path sees a miss)
    await ainvalidate("pq_user", user_id=5)
    django_miss = await call(apps[0], f"{USER}?user_id=5")
    await ainvalidate("pq_user", user_id=5)
    layered_miss = await call(apps[1], f"{USER}?user_id=5")
    assert layered_miss.messages == django_miss.messages
    assert calls["pq_profile"] == 2
    assert layered_miss.status == 200 and layered_miss["Surrogate-Key"].startswith("ctx:pq_user")

    # hit: the first one shows the layer how the stack answers; later ones skip Django
    first, reached = await both(apps, handled, f"{USER}?user_id=5")
    assert reached == 1
    for _ in range(2):
        hit, reached = await both(apps, handled, f"{USER}?user_id=5")
        assert reached == 0
        assert hit.content == first.content == django_miss.content
    assert hit["Content-Length"] == str(len(hit.content))
    assert hit["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware's, replayed
    assert "set-cookie" not in hit.headers and "vary" not in hit.headers
    assert calls["pq_profile"] == 2

    # 304: learned from the stack's 304 once, then answered by the layer
    match = {"If-None-Match": hit["ETag"]}
    _, reached = await both(apps, handled, f"{USER}?user_id=5", match)
    assert reached == 1
    not_modified, reached = await both(apps, handled, f"{USER}?user_id=5", match)
    assert reached == 0
    assert not_modified.status == 304 and not_modified.content == b""
    assert not_modified["ETag"] == hit["ETag"]
    assert not_modified["Cache-Control"] == "public, s-maxage=300"
    other, reached = await both(apps, handled, f"{USER}?user_id=5", {"If-None-Match": '"x"'})
    assert other.status == 200 and reached == 0


async def test_invalidated_entries_go_to_django_then_are_answered_fresh(apps, handled, calls):
    await call(apps[0], f"{USER}?user_id=5")  # stored
    await both(apps, handled, f"{USER}?user_id=5")  # learned
    _, reached = await both(apps, handled, f"{USER}?user_id=5")
    assert reached == 0

    mizan_clients.NAMES[5] = "Eve"
    await ainvalidate("pq_user", user_id=5)
    django_fresh = await call(apps[0], f"{USER}?user_id=5")
    await ainvalidate("pq_user", user_id=5)
    before = len(handled)
    layered_fresh = await call(apps[1], f"{USER}?user_id=5")
    assert len(handled) == before + 1  # a miss: the view runs
    assert layered_fresh.messages == django_fresh.messages
    assert body_of(layered_fresh)["data"]["pqProfile"]["name"] == "Eve"

    again, reached = await both(apps, handled, f"{USER}?user_id=5")
    assert reached == 0 and again.content == layered_fresh.content


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/graphql/ctx/pq_me/", None),  # private
        ("/graphql/ctx/pq_live/", None),  # uncached
        (f"{USER}?user_id=oops", None),  # refused by the view (400)
        (f"{USER}?user_id=5", {"Host": "evil.example"}),  # DisallowedHost (400)
        ("/graphql/ctx/nothing/", None),  # no such context
        ("/graphqlctx/pq_user/?user_id=5", None),  # not the endpoint's URL
    ],
)
async def test_what_it_cannot_answer_goes_to_django(apps, handled, path, headers):
    for _ in range(3):
        expected = await call(apps[0], path, headers)
        before = len(handled)
        got = await call(apps[1], path, headers)
        assert len(handled) == before + 1
        assert (got.status, list(got.headers)) == (expected.status, list(expected.headers))


async def test_head_goes_to_django(apps, handled):
    await call(apps[0], f"{USER}?user_id=5")  # stored
    for _ in range(2):
        await both(apps, handled, f"{USER}?user_id=5")
    before = len(handled)
    await call(apps[1], f"{USER}?user_id=5", method="HEAD")
    assert len(handled) == before + 1


async def test_a_rewritten_body_is_never_replayed_and_vary_is_honoured(apps, handled, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    apps = (get_asgi_application(), ContextCacheASGI(get_asgi_application()))
    search = "/graphql/ctx/pq_search/?term=" + "x" * 300  # long enough to be compressed
    gzip = {"Accept-Encoding": "gzip"}
    await call(apps[0], search, gzip)  # stored
    for _ in range(3):
        compressed, reached = await both(apps, handled, search, gzip, exact=False)
        assert compressed["Content-Encoding"] == "gzip" and reached == 1
    for _ in range(2):
        plain, _ = await both(apps, handled, search)
    assert plain["Vary"] == "Accept-Encoding" and "content-encoding" not in plain.headers
    _, reached = await both(apps, handled, search)
    assert reached == 0  # learned for requests without Accept-Encoding
    _, reached = await both(apps, handled, search, gzip, exact=False)
    assert reached == 1  # a different Accept-Encoding: the stack answers it


async def test_wrap_asgi_answers_hits_unless_told_not_to(passed, handled):
    wrapped = wrap_asgi(get_asgi_application())
    plain = wrap_asgi(get_asgi_application(), context_hits=False)
    for _ in range(3):
        await call(wrapped, f"{USER}?user_id=5")
    before = len(handled)
    await call(wrapped, f"{USER}?user_id=5")
    assert len(handled) == before
    await call(plain, f"{USER}?user_id=5")
    assert len(handled) == before + 1
