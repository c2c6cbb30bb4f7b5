"""The app to add to ``INSTALLED_APPS`` (after ``allauth`` and ``allauth.account``)."""

from django.apps import AppConfig

from ...plugins import register_plugin
from .plugin import ALLAUTH


class MizanAllauthConfig(AppConfig):
    name = "mizan_gql.contrib.allauth"
    label = "mizan_gql_allauth"
    verbose_name = "mizan_gql: django-allauth"

    def ready(self) -> None:
        register_plugin(ALLAUTH)
