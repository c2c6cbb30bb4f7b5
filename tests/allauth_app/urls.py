from django.urls import include, path

from tests.urls import urlpatterns as base_urlpatterns

urlpatterns = [*base_urlpatterns, path("accounts/", include("allauth.urls"))]
