"""``/graphql/stream`` behind a synchronous-only middleware.

Django then runs the async view inside ``async_to_sync``, whose thread executor quits when
the view returns; the operations outlive the view, and their thread-sensitive calls (a
channel's synchronous ``authorize()``) must not be sent to that executor.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.channels.test_sessions import APP, prepare_database
from tests.support.servers import ServerProcess, asgi_server

from .test_stream import CHAT, results_until_complete, stream

SETTINGS = "tests.sse.sync_middleware_settings"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("sse-sync")
    env = {"MIZAN_TEST_DB": str(tmp / "db.sqlite3")}
    prepare_database(env)
    with asgi_server(APP, SETTINGS, env=env, log=tmp / "daphne.log") as started:
        yield started


async def test_a_synchronous_authorize_runs_behind_a_synchronous_middleware(server):
    # ChatChannel.authorize is synchronous: it refuses the anonymous visitor, and does not
    # fail with "CurrentThreadExecutor already quit" (INTERNAL_SERVER_ERROR).
    for _ in range(2):
        response = await stream(server, CHAT)
        [result] = await results_until_complete(response)
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        await response.close()
