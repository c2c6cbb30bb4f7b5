"""daphne serving the GraphiQL test project, static files included (as runserver does)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.graphiql_app.settings")

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

application = ASGIStaticFilesHandler(get_asgi_application())
