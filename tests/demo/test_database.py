"""The demo keeps its data in the database the tests gave it: SQLite, or PostgreSQL under
tests/postgres_settings.py (so the demo's tests there really run it on PostgreSQL)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.support.postgres import connect

from .conftest import DemoServer


def test_the_demo_seeded_the_database_it_was_given(demo_server: DemoServer) -> None:
    database = demo_server.database
    if "MIZAN_DEMO_PGDATABASE" in database:
        with connect(database["MIZAN_DEMO_PGDATABASE"]) as connection:
            rows = connection.execute("SELECT username FROM auth_user").fetchall()
    else:
        with closing(sqlite3.connect(database["MIZAN_DEMO_DB"])) as connection:
            rows = connection.execute("SELECT username FROM auth_user").fetchall()
    assert {"alice", "bob"} <= {username for (username,) in rows}, demo_server.output()
