"""A cache backend that goes away (Redis stopped mid-run): still 200, one warning."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from tests.contexts.conftest import redis_cache, worker_prefix
from tests.contexts_app.mizan_clients import CALLS

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = "query($u: Int!) { ctxProfile(userId: $u) { userId displayName } }"


async def test_redis_stopped_mid_run_still_answers(gql, own_redis, users, caplog):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "contexts": redis_cache(own_redis.url, worker_prefix()),
    }
    with override_settings(CACHES=caches, MIZAN={"CACHE": "contexts"}):
        await gql.force_login(users["alice"])
        for _ in range(2):
            body = await gql.execute(PROFILE, {"u": 5})
            assert body["data"]["ctxProfile"]["displayName"] == "user 5"
        assert CALLS["ctx_profile"] == 1  # the Redis cache works ...

        own_redis.stop()  # ... until the server goes away
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mizan_gql.contexts"):
            for expected_calls in (2, 3):
                response = await gql.post(PROFILE, {"u": 5})
                assert response.status_code == 200
                assert response.json() == {
                    "data": {"ctxProfile": {"userId": 5, "displayName": "user 5"}}
                }
                assert CALLS["ctx_profile"] == expected_calls  # computed, uncached
            me = await gql.execute("{ ctxMe { userName } }")
            assert me["data"]["ctxMe"]["userName"] == "alice"
            # Invalidating still answers, and still tells the client.
            response = await gql.post(
                'mutation { ctxRename(userId: 5, displayName: "Bob") { displayName } }'
            )
            assert response.status_code == 200
            assert response.json()["data"]["ctxRename"]["displayName"] == "Bob"
            assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=5"
        warnings = [r for r in caplog.records if r.name == "mizan_gql.contexts"]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "serving uncached values" in warnings[0].getMessage()
