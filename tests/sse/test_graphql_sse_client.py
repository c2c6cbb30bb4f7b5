"""The graphql-sse npm client, in both modes, against two daphne processes sharing
channels_redis on the real Redis server: broadcasts made on one reach its subscriptions on
the other, and once it has gone no group membership is left behind.
tests/ts/sse/graphql-sse.mjs is the client side."""

from __future__ import annotations

import time

import redis

from tests.channels.test_cross_process import redis_env, servers  # noqa: F401  (fixtures)
from tests.channels_app.mizan_clients import NewsChannel
from tests.codegen.conftest import require_node, run_node


def test_the_graphql_sse_client_receives_broadcasts_of_another_process(servers, redis_env):  # noqa: F811
    require_node()
    a, b = servers
    result = run_node(
        "node",
        "--no-warnings",
        "--test",
        "sse/graphql-sse.mjs",
        env={"MIZAN_URL_A": a.url, "MIZAN_URL_B": b.url},
        timeout=180,
    )
    output = result.stdout + result.stderr
    # On a failure, what each server logged tells which side lost the broadcast.
    logs = f"\n--- server A ---\n{a.output()[-4000:]}\n--- server B ---\n{b.output()[-4000:]}"
    assert result.returncode == 0, output + logs
    assert "# pass 5\n" in output and "# fail 0" in output, output

    # The client has gone: the streams it left end their subscriptions, which leave the group.
    client = redis.Redis.from_url(redis_env["MIZAN_TEST_REDIS_URL"])
    key = f"{redis_env['MIZAN_TEST_REDIS_PREFIX']}:group:{NewsChannel.layer_group('news')}"
    try:
        deadline = time.monotonic() + 10
        while client.zcard(key) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.zcard(key) == 0
    finally:
        client.close()
    for server in servers:
        server.stop()
    log = (a.output() + b.output()).lower()
    assert "traceback" not in log, log
