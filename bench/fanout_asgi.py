"""The fan-out benchmark server: a mizan channel and a plain Channels consumer side by side.

- ``/graphql``: ``wrap_asgi`` with ``BenchChannel`` (subscription ``benchChannel``).
- ``/plain/``: a plain ``AsyncJsonWebsocketConsumer`` that joins the group ``bench`` on
  connect and sends every group message to its socket, the usual Channels fan-out.
- ``POST /broadcast/<kind>/<count>/<first>``: sends ``count`` messages numbered from
  ``first`` to every subscriber of one kind (``mizan`` or ``plain``) through the channel
  layer, from inside this process.
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.fanout_settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_app = get_asgi_application()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from django.urls import path  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from mizan_gql import ReactChannel, wrap_asgi  # noqa: E402


class BenchChannel(ReactChannel):
    class DjangoMessage(BaseModel):
        seq: int
        sent: float

    async def group(self, params):
        return "bench"


class PlainConsumer(AsyncJsonWebsocketConsumer):
    groups = ["bench_plain"]

    async def bench_message(self, event):
        await self.send_json({"seq": event["seq"], "sent": event["sent"]})


async def broadcast(scope, receive, send):
    _, _, kind, count, first = scope["path"].split("/")
    layer = get_channel_layer()
    for seq in range(int(first), int(first) + int(count)):
        message = {"seq": seq, "sent": time.time()}
        if kind == "mizan":
            await BenchChannel.abroadcast("bench", message)
        else:
            await layer.group_send("bench_plain", {"type": "bench.message", **message})
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def http(scope, receive, send):
    if scope["type"] == "http" and scope["path"].startswith("/broadcast/"):
        return await broadcast(scope, receive, send)
    return await django_app(scope, receive, send)


mizan = wrap_asgi(http)
plain = URLRouter([path("plain/", PlainConsumer.as_asgi())])


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"] == "/plain/":
        return await plain(scope, receive, send)
    return await mizan(scope, receive, send)
