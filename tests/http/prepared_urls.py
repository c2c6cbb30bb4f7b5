"""A project's own subclass of the GraphQL view that changes how operations execute."""

from typing import Any

from django.urls import path

from mizan_gql.http import GraphQLView


class CountingView(GraphQLView):
    executed = 0

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        CountingView.executed += 1
        return await super().execute_single(*args, **kwargs)


urlpatterns = [path("graphql", CountingView.as_view())]
