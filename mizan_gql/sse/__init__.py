"""GraphQL over Server-Sent Events (the ``graphql-sse`` protocol) at ``/graphql/stream``."""

from .view import GraphQLStreamView, graphql_stream

__all__ = ["GraphQLStreamView", "graphql_stream"]
