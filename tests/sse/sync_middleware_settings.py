"""The SSE tests' server behind a synchronous-only middleware."""

from tests.sse.settings import *  # noqa: F403

MIDDLEWARE = [*MIDDLEWARE, "tests.sse.sync_middleware.SyncOnlyMiddleware"]  # noqa: F405
