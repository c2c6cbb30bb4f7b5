"""Names that several parts of mizan_gql (and its clients) must spell alike: one home each."""

from __future__ import annotations

__all__ = [
    "CHANNEL_MESSAGE",
    "CLOSE_LAYER_LOST",
    "CLOSE_TOO_BIG",
    "CSRF_FAILED",
    "DOCUMENT_ID",
    "EXTENSIONS_KEY",
    "GRAPHQL_RESPONSE_JSON",
    "HYDRATION_ELEMENT_ID",
    "INFO_PARAM",
    "INVALIDATE_HEADER",
    "INVALIDATIONS_GROUP",
    "INVALIDATION_EVENT",
    "LAYER_LOST",
    "TAG_HEADERS",
    "TOO_MANY_SUBSCRIPTIONS",
]

# The Channels group every invalidation is published to, and the type of its messages:
# ``group_send(INVALIDATIONS_GROUP, {"type": INVALIDATION_EVENT, "entries": [...]})``.
INVALIDATIONS_GROUP = "mizan.invalidations"
INVALIDATION_EVENT = "mizan.invalidate"

# GraphQL-over-HTTP's persisted-document request field (`"documentId": "sha256:<hex>"`).
# The view moves it into the request's extensions under the same name, where the
# persisted-query extension reads it on every transport.
DOCUMENT_ID = "documentId"
# The same field as Relay's network layer sends it (its persisted-queries guide's fetch).
RELAY_DOCUMENT_ID = "doc_id"

# The type of a ReactChannel broadcast on the Channels layer.
CHANNEL_MESSAGE = "mizan.channel.message"

# The type of the message a subscription receives when the Channels layer fails.
LAYER_LOST = "mizan.layer_lost"

# WebSocket close codes of mizan_gql's own, in the application range (4000-4999) that every
# ASGI server can send: daphne (Autobahn) refuses any code but 1000 and 3000-4999, so RFC
# 6455's 1009 and 1012 would never reach its clients. Like graphql-transport-ws's 4400 or
# 4429, each echoes an HTTP status. The generated client (codegen/runtime/live.ts) spells
# them too.
# A frame larger than MIZAN["WS_MAX_MESSAGE_SIZE"] (HTTP 413 Content Too Large).
CLOSE_TOO_BIG = 4413
# The Channels layer failed (HTTP 503 Service Unavailable): reconnect and subscribe again.
CLOSE_LAYER_LOST = 4503

# The response header naming what a request invalidated (grammar: invalidation_header.py).
INVALIDATE_HEADER = "X-Mizan-Invalidate"

# CDN tag headers of public responses: Fastly (Surrogate-Key), Cloudflare (Cache-Tag) and
# Varnish xkey read one each.
TAG_HEADERS = ("Surrogate-Key", "Cache-Tag", "xkey")

# mizan's entry in a GraphQL response's ``extensions``: ``{"mizan": {"invalidate": [...]}}``.
EXTENSIONS_KEY = "mizan"

# The keyword argument that hands Strawberry's ``info`` to generated resolvers; a server
# function may not use it as a parameter name.
INFO_PARAM = "mizan_info"

# The id of the ``<script type="application/json">`` that ``{% mizan_hydrate %}`` renders
# and the generated client reads.
HYDRATION_ELEMENT_ID = "mizan-hydrate"

# ``extensions.code`` of a mutation refused as a possible cross-site request forgery.
CSRF_FAILED = "CSRF_FAILED"

# ``extensions.code`` of an operation refused because its socket runs
# ``MIZAN["WS_MAX_SUBSCRIPTIONS"]`` operations already.
TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"

# The GraphQL-over-HTTP media type of a response.
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
