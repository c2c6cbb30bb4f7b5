from django.urls import include, path, re_path

from . import views
from .shop import views as shop_views

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("profile/<int:user_id>/", views.profile_page, name="profile"),
    re_path(r"^shop/(?P<category>[\w-]+)/page-(?P<page>\d+)\.html$", shop_views.catalog_page),
    path("feed/", shop_views.catalog_feed),
    path("_origin/", views.origin_log),
    path("boom/", views.broken),
    path("cookie/", views.with_cookie),
]
