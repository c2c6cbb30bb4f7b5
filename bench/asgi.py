"""The benchmark project's ASGI applications.

``application``: what ``docs/deploy.md`` recommends, ``wrap_asgi(get_asgi_application())``:
public context hits are answered at the ASGI layer; plus ``/bare/``, answered by a few lines
of ASGI without Django (what the server alone costs: the ceiling of any ratio). ``django_only``:
Django's handler alone, where ``ContextCacheMiddleware`` (in bench.settings) answers them.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from mizan_gql import wrap_asgi  # noqa: E402

django_only = get_asgi_application()
wrapped = wrap_asgi(django_only)
BARE = b'{"data":{"echo":{"message":"hi"}}}'


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/bare/":
        headers = [(b"content-type", b"application/json"), (b"content-length", b"34")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": BARE})
        return
    await wrapped(scope, receive, send)
