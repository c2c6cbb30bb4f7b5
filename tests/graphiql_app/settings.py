"""The test project serving GraphiQL the way a developer's machine does (DEBUG, runserver's
static files), under a strict Content-Security-Policy (``csp.py``)."""

from tests.settings import *  # noqa: F403
from tests.settings import MIDDLEWARE

DEBUG = True
MIDDLEWARE = ["tests.graphiql_app.csp.strict_policy", *MIDDLEWARE]
ASGI_APPLICATION = "tests.graphiql_app.asgi.application"
