"""The app to add to ``INSTALLED_APPS`` (after ``allauth`` and ``allauth.account``)."""

from django.apps import AppConfig


class MizanAllauthConfig(AppConfig):
    name = "mizan_gql.contrib.allauth"
    label = "mizan_gql_allauth"
    verbose_name = "mizan_gql: django-allauth"

    def ready(self) -> None:
        from django.core.checks import register

        from .checks import allauth_setup

        register(allauth_setup)
