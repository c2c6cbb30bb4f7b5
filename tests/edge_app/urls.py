from django.urls import include, path, re_path

from . import views
from .shop import views as shop_views

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("profile/<int:user_id>/", views.profile_page, name="profile"),
    re_path(r"^shop/(?P<category>[\w-]+)/page-(?P<page>\d+)\.html$", shop_views.catalog_page),
    # More ways to route the same view: converters, a nested include, a regex under it.
    path("c/<str:category>/<int:page>/", shop_views.catalog_page),
    path(
        "archive/<slug:category>/",
        include(
            [
                path("<int:page>/", shop_views.catalog_page),
                re_path(r"^p(?P<page>[0-9]{1,4})\.html$", shop_views.catalog_page),
            ]
        ),
    ),
    path("feed/", shop_views.catalog_feed),
    path("_origin/", views.origin_log),
    path("boom/", views.broken),
    path("cookie/", views.with_cookie),
]
