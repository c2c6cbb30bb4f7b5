"""The test project on PostgreSQL instead of SQLite, for the database-touching tests.

``.ci/run`` runs tests/forms, tests/contexts, tests/allauth, tests/edge and tests/demo again
with it (``pytest --ds tests.postgres_settings``); the demo server then runs on a database
of its own too (tests/demo/conftest.py). The server is PostgreSQL on 127.0.0.1:5432 with
trust authentication (``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD`` and ``PGDATABASE``
override it). Without it these tests skip, except under CI=true (tests/support/postgres.py).
"""

from tests.settings import *  # noqa: F403
from tests.support.postgres import test_databases

DATABASES = test_databases()
