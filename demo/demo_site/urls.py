from core import views
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/<int:user_id>/", views.profile, name="profile"),
    path("contact/", views.contact, name="contact"),
    path("chat/", views.chat_lobby, name="chat-lobby"),
    path("chat/<slug:room>/", views.chat, name="chat"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("graphql", include("mizan_gql.urls")),
]

if "debug_toolbar" in settings.INSTALLED_APPS:  # MIZAN_DEMO_TOOLBAR=1
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
