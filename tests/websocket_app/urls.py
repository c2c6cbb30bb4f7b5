from django.urls import path

from tests.urls import urlpatterns as base_urlpatterns

from .views import lifespan_events

urlpatterns = [*base_urlpatterns, path("lifespan/", lifespan_events)]
