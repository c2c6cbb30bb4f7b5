"""The ASGI application of docs/subscriptions.md, for the WebSocket session tests."""

from django.core.asgi import get_asgi_application

from mizan_gql import wrap_asgi

application = wrap_asgi(get_asgi_application())
