"""PostgreSQL for the tests: where it is, a database name per checkout, and whether it runs.

Test databases are named after the checkout (``test_mizan_<hash of its path>``), so two
checkouts testing on one server at the same time do not collide; pytest-django adds the
xdist worker (``_gw0``, ``_gw1``), so parallel workers do not either.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT = hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
FIX = "CI machines run it; or set PGHOST, PGPORT, PGUSER and PGPASSWORD"


def server() -> dict[str, str]:
    """Connection settings from the libpq variables, with the CI machine's defaults."""
    return {
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "NAME": os.environ.get("PGDATABASE", "test"),  # connected to, never written
    }


def database_name(purpose: str) -> str:
    return f"test_mizan_{purpose}_{CHECKOUT}"


def test_databases() -> dict[str, Any]:
    return {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            **server(),
            "TEST": {"NAME": database_name("suite")},
        }
    }


def unavailable() -> str | None:
    """Why the tests cannot use PostgreSQL here, or None when they can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (uv sync installs the dev dependencies)"
    where = server()
    try:
        with socket.create_connection((where["HOST"], int(where["PORT"])), timeout=1):
            return None
    except OSError:
        return f"no PostgreSQL server answers on {where['HOST']}:{where['PORT']} ({FIX})"


def connect(database: str | None = None) -> Any:
    """A psycopg connection (autocommit) to ``database``, by default the one the settings
    connect to."""
    import psycopg

    where = server()
    return psycopg.connect(
        host=where["HOST"],
        port=where["PORT"],
        user=where["USER"],
        password=where["PASSWORD"],
        dbname=database or where["NAME"],
        autocommit=True,
    )


@contextmanager
def created_database(name: str) -> Iterator[str]:
    """A new, empty database ``name`` (dropped first if a crashed run left it), dropped on
    exit with the sessions still using it."""
    from psycopg import sql

    def run(statement: sql.Composed) -> None:
        with connect() as connection:
            connection.execute(statement)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        run(drop)
