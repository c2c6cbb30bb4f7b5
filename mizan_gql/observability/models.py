"""``Context``: no table, only what the admin needs to list contexts and to grant access.

Its permissions: ``view_context`` opens the admin's "Contexts" page,
``invalidate_context`` allows its invalidate action (superusers have both).
"""

from django.db import models


class Context(models.Model):
    """A mizan context, as the admin names it (the registry holds the real ones)."""

    name: "models.CharField[str, str]" = models.CharField(max_length=200, primary_key=True)

    class Meta:
        managed = False
        default_permissions = ("view",)
        permissions = [("invalidate_context", "Can invalidate cached contexts")]
        verbose_name = "context"
        verbose_name_plural = "contexts"

    def __str__(self) -> str:
        return self.name
