"""The benchmark project's ASGI applications.

``application``: what ``docs/deploy.md`` recommends, ``wrap_asgi(get_asgi_application())``:
public context hits are answered at the ASGI layer. ``django_only``: Django's handler alone,
where ``ContextCacheMiddleware`` (in bench.settings) answers them.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from mizan_gql import wrap_asgi  # noqa: E402

django_only = get_asgi_application()
application = wrap_asgi(django_only)
