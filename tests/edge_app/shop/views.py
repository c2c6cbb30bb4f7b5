from django.http import HttpRequest, HttpResponse

from mizan_gql import view

from .mizan_clients import STOCK


@view(context="catalog")
def catalog_page(request: HttpRequest, category: str, page: str) -> HttpResponse:
    return HttpResponse(f"{category} page {page}: {STOCK.get(category, 0)} in stock")


@view(context="catalog", name="catalog_feed")
def catalog_feed(request: HttpRequest) -> HttpResponse:
    """Routed by a query string, so its URL comes from MIZAN["VIEW_URLS"]."""
    return HttpResponse("feed")
