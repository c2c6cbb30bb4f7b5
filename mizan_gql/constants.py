"""Names that several parts of mizan_gql (and its clients) must spell alike: one home each."""

from __future__ import annotations

__all__ = [
    "CHANNEL_MESSAGE",
    "CSRF_FAILED",
    "EXTENSIONS_KEY",
    "GRAPHQL_RESPONSE_JSON",
    "HYDRATION_ELEMENT_ID",
    "INFO_PARAM",
    "INVALIDATE_HEADER",
    "INVALIDATIONS_GROUP",
    "INVALIDATION_EVENT",
    "LAYER_LOST",
    "TAG_HEADERS",
]

# The Channels group every invalidation is published to, and the type of its messages:
# ``group_send(INVALIDATIONS_GROUP, {"type": INVALIDATION_EVENT, "entries": [...]})``.
INVALIDATIONS_GROUP = "mizan.invalidations"
INVALIDATION_EVENT = "mizan.invalidate"

# The type of a ReactChannel broadcast on the Channels layer.
CHANNEL_MESSAGE = "mizan.channel.message"

# The type of the message a subscription receives when the Channels layer fails.
LAYER_LOST = "mizan.layer_lost"

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

# The GraphQL-over-HTTP media type of a response.
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
