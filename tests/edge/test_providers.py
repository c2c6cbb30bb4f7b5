"""The Fastly and Cloudflare purgers against local servers checking the providers' APIs,
through the real stack: a mutation's response, then the purge task in the background,
its retries on 429/5xx and its giving up."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from django.test import override_settings

from mizan_gql.edge import (
    CloudflarePurger,
    FastlyPurger,
    PurgeError,
    Resolution,
    wait_for_purges,
)

from .fake_cdn import (
    CLOUDFLARE_TOKEN,
    CLOUDFLARE_ZONE,
    FASTLY_KEY,
    FASTLY_SERVICE,
    FakeAPI,
    check_cloudflare,
    check_fastly,
    serve,
)
from .test_purge import MIDDLEWARE, RENAME, edge_records

# Small backoff so the retries of the tests take milliseconds.
FAST_RETRIES = {"EDGE_PURGE_BACKOFF": 0.01, "EDGE_PURGE_BACKOFF_MAX": 0.05}


def fastly(api: FakeAPI, **options) -> dict:
    return {
        "BACKEND": "mizan_gql.edge.FastlyPurger",
        "OPTIONS": {
            "service_id": FASTLY_SERVICE,
            "api_key": FASTLY_KEY,
            "api_url": api.url,
            **options,
        },
    }


def cloudflare(api: FakeAPI, **options) -> dict:
    return {
        "BACKEND": "mizan_gql.edge.CloudflarePurger",
        "OPTIONS": {
            "zone_id": CLOUDFLARE_ZONE,
            "api_token": CLOUDFLARE_TOKEN,
            "api_url": f"{api.url}/client/v4",
            **options,
        },
    }


@contextmanager
def purging_to(*purgers, middleware=MIDDLEWARE, **more):
    mizan = {"EDGE_BASE_URL": "https://example.com", "EDGE_PURGERS": list(purgers)}
    with override_settings(MIDDLEWARE=middleware, MIZAN={**mizan, **FAST_RETRIES, **more}):
        try:
            yield
        finally:
            assert wait_for_purges(10), "the edge purge did not finish within 10 s"


@pytest.fixture
def fastly_api():
    with serve(FakeAPI(check_fastly)) as api:
        yield api


@pytest.fixture
def cloudflare_api():
    with serve(FakeAPI(check_cloudflare)) as api:
        yield api


async def test_a_mutation_purges_fastly_by_surrogate_key(gql, fastly_api):
    with purging_to(fastly(fastly_api)):
        body = await gql.execute(RENAME, {"id": 5, "name": "Five"})
        (sent,) = fastly_api.wait_for(1)
    assert body["data"] == {"ctxRename": {"displayName": "Five"}}
    assert fastly_api.problems == []
    assert sent.body == {"surrogate_keys": ["ctx:ctx_user:user_id=5"]}
    assert "fastly-soft-purge" not in sent.headers


async def test_a_soft_purge(gql, fastly_api):
    with purging_to(fastly(fastly_api, soft=True)):
        await gql.execute(RENAME, {"id": 6, "name": "Six"})
        (sent,) = fastly_api.wait_for(1)
    assert fastly_api.problems == []
    assert sent.headers["fastly-soft-purge"] == "1"


def test_fastly_batches_of_at_most_256_keys(fastly_api):
    tags = tuple(f"ctx:ctx_user:user_id={n}" for n in range(300))
    purger = FastlyPurger(FASTLY_SERVICE, FASTLY_KEY, api_url=fastly_api.url)
    purger.purge(Resolution(tags=tags))
    assert fastly_api.problems == []
    assert [r.body["surrogate_keys"] for r in fastly_api.received] == [
        list(tags[:256]),
        list(tags[256:]),
    ]


async def test_a_mutation_purges_cloudflare_by_url_and_by_tag(gql, cloudflare_api):
    with purging_to(cloudflare(cloudflare_api)):
        await gql.execute(RENAME, {"id": 7, "name": "Seven"})
        files, tags = cloudflare_api.wait_for(2)
    assert cloudflare_api.problems == []
    assert files.body == {"files": ["https://example.com/graphql/ctx/ctx_user/?user_id=7"]}
    assert tags.body == {"tags": ["ctx:ctx_user:user_id=7"]}


def test_cloudflare_batches_and_choices(cloudflare_api):
    urls = tuple(f"https://example.com/p/{n}/" for n in range(31))
    purger = CloudflarePurger(
        CLOUDFLARE_ZONE, CLOUDFLARE_TOKEN, api_url=f"{cloudflare_api.url}/client/v4"
    )
    purger.purge(Resolution(urls=urls, tags=("a", "b")))
    assert cloudflare_api.problems == []
    assert [r.body for r in cloudflare_api.received] == [
        {"files": list(urls[:30])},
        {"files": list(urls[30:])},
        {"tags": ["a", "b"]},
    ]
    tags_only = CloudflarePurger(
        CLOUDFLARE_ZONE, CLOUDFLARE_TOKEN, urls=False, api_url=f"{cloudflare_api.url}/client/v4"
    )
    tags_only.purge(Resolution(urls=urls, tags=("c",)))
    assert cloudflare_api.received[-1].body == {"tags": ["c"]}
    assert len(cloudflare_api.received) == 4


def test_cloudflare_refuses_relative_urls_without_a_request(cloudflare_api):
    purger = CloudflarePurger(CLOUDFLARE_ZONE, CLOUDFLARE_TOKEN, api_url=cloudflare_api.url)
    with pytest.raises(PurgeError, match="EDGE_BASE_URL") as raised:
        purger.purge(Resolution(urls=("/graphql/ctx/ctx_user/?user_id=1",)))
    assert not raised.value.retryable
    assert cloudflare_api.received == []


@pytest.mark.parametrize("failures", [[429], [503, 502], [500, 429, 504]])
async def test_429_and_5xx_are_retried_until_the_purge_lands(gql, fastly_api, caplog, failures):
    fastly_api.replies.extend(failures)
    with (
        caplog.at_level(logging.WARNING, logger="mizan_gql.edge"),
        purging_to(fastly(fastly_api)),
    ):
        await gql.execute(RENAME, {"id": 8, "name": "Eight"})
        sent = fastly_api.wait_for(len(failures) + 1)
    assert fastly_api.problems == []
    assert [r.body for r in sent] == [{"surrogate_keys": ["ctx:ctx_user:user_id=8"]}] * (
        len(failures) + 1
    )
    assert fastly_api.replies == []  # every scripted failure was answered
    assert [r.levelname for r in edge_records(caplog)] == ["WARNING"] * len(failures)
    assert all("retrying" in r.getMessage() for r in edge_records(caplog))


async def test_a_purge_is_given_up_after_the_retries_and_logged(gql, cloudflare_api, caplog):
    cloudflare_api.replies.extend([503] * 10)
    with (
        caplog.at_level(logging.WARNING, logger="mizan_gql.edge"),
        purging_to(cloudflare(cloudflare_api, urls=False), EDGE_PURGE_RETRIES=2),
    ):
        await gql.execute(RENAME, {"id": 9, "name": "Nine"})
        cloudflare_api.wait_for(3)
    assert wait_for_purges(10)
    assert len(cloudflare_api.received) == 3  # the first attempt and two retries
    assert cloudflare_api.replies == [503] * 7
    errors = [r.getMessage() for r in edge_records(caplog) if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].startswith("Edge purge lost after 3 attempt(s) (CloudflarePurger: ")
    assert "answered 503" in errors[0]
    assert errors[0].endswith(
        "urls=https://example.com/graphql/ctx/ctx_user/?user_id=9 "
        "tags=ctx:ctx_user:user_id=9 prefixes=-"
    )


async def test_a_refused_purge_is_not_retried(gql, fastly_api, caplog):
    bad_key = fastly(fastly_api)
    bad_key["OPTIONS"]["api_key"] = "wrong"
    with caplog.at_level(logging.WARNING, logger="mizan_gql.edge"), purging_to(bad_key):
        await gql.execute(RENAME, {"id": 10, "name": "Ten"})
        fastly_api.wait_for(1)
    assert len(fastly_api.received) == 1
    assert fastly_api.problems == ["Fastly-Key 'wrong'"]
    (record,) = edge_records(caplog)
    assert record.levelname == "ERROR"
    assert "answered 400" in record.getMessage()


@pytest.mark.parametrize("middleware", [MIDDLEWARE, MIDDLEWARE[1:]], ids=["middleware", "none"])
async def test_the_response_does_not_wait_for_the_purge(gql, fastly_api, middleware):
    """The CDN holds the purge until the test has the mutation's response: a purge made
    in the request would hold the response and be answered 503 after HOLD_TIMEOUT."""
    fastly_api.hold()
    with purging_to(fastly(fastly_api), middleware=middleware):
        body = await gql.execute(RENAME, {"id": 11, "name": "Eleven"})
        assert body["data"] == {"ctxRename": {"displayName": "Eleven"}}
        (held,) = fastly_api.wait_for(1)  # the purge is under way ...
        fastly_api.release()  # ... and lands only now
    assert held.released_by_test
    assert held.body == {"surrogate_keys": ["ctx:ctx_user:user_id=11"]}
    assert fastly_api.problems == []
