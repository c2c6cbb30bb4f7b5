"""ASGI applications a Channels project composes with mizan_gql (tests/websocket/test_asgi.py).

- ``wrapped_router``: ``wrap_asgi`` around the project's own ``ProtocolTypeRouter``, which
  has a consumer of its own (``/ws/echo/``) and takes lifespan events;
- ``own_router``: the project's router with ``websocket_urlpatterns`` among its routes.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.websocket_app.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from mizan_gql import wrap_asgi  # noqa: E402
from mizan_gql.websocket import websocket_urlpatterns  # noqa: E402

from .views import EVENTS  # noqa: E402


class Lifespan:
    """The project's lifespan application: records startup and shutdown."""

    async def __call__(self, scope, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                EVENTS.append("startup")
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                print("project lifespan: shutdown", flush=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


class EchoConsumer(AsyncWebsocketConsumer):
    """A consumer of the project's own: echoes text with the socket's user name."""

    async def receive(self, text_data=None, bytes_data=None):
        user = self.scope["user"].get_username() or "anonymous"
        await self.send(text_data=json.dumps({"echo": text_data, "user": user}))


echo_routes = [path("ws/echo/", EchoConsumer.as_asgi())]

wrapped_router = wrap_asgi(
    ProtocolTypeRouter(
        {
            "http": django_app,
            "websocket": AuthMiddlewareStack(URLRouter(echo_routes)),
            "lifespan": Lifespan(),
        }
    )
)

own_router = ProtocolTypeRouter(
    {
        "http": django_app,
        "websocket": AuthMiddlewareStack(URLRouter([*echo_routes, *websocket_urlpatterns])),
    }
)
