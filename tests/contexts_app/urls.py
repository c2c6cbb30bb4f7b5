from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("graphql", include("mizan_gql.urls")),
    path("profile/<int:user_id>/", views.profile_page, name="profile"),
    path("aprofile/<int:user_id>/", views.async_profile_page),
    path("arender/<int:user_id>/", views.async_render_page),
    path("note/<str:topic>/", views.note_page),
    path("missing/<int:user_id>/", views.missing_page),
    path("nested/", include([re_path(r"^people/(?P<user_id>\d+)\.html$", views.regex_profile)])),
    re_path(r"^unnamed/(\d+)/$", views.unnamed_regex_profile),
    path("tag/", views.tag_page),
    path("rename/<int:user_id>/", views.rename_view),
    path("rename-page/<int:user_id>/", views.rename_page),
]
