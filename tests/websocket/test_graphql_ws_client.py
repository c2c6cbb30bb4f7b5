"""The graphql-ws npm client signs a socket in with ``connectionParams`` on a real server
(``MIZAN["WS_AUTHENTICATE"]``); tests/ts/websocket/token-auth.mjs is the client side."""

from __future__ import annotations

from tests.channels.test_sessions import APP, SETTINGS, prepare_database
from tests.codegen.conftest import require_node, run_node
from tests.support.servers import asgi_server


def test_the_graphql_ws_client_signs_in_with_connection_params(tmp_path):
    require_node()
    env = {"MIZAN_TEST_DB": str(tmp_path / "db.sqlite3")}
    prepare_database(env)
    with asgi_server(APP, SETTINGS, env=env, log=tmp_path / "daphne.log") as server:
        result = run_node(
            "node",
            "--experimental-websocket",
            "--no-warnings",
            "--test",
            "websocket/token-auth.mjs",
            env={"MIZAN_URL": server.url},
            timeout=120,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "# pass 3\n" in output and "# fail 0" in output, output
