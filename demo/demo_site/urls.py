from core import views
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("graphql", include("mizan_gql.urls")),
]
