"""Models the contexts of the depends_on tests read (tests/contexts/test_depends_on.py)."""

from django.conf import settings
from django.db import models

from mizan_gql import InvalidatingQuerySet


class Tag(models.Model):
    """Default manager: bulk writes go through ``mizan_gql.invalidate_queryset``."""

    name = models.CharField(max_length=50, unique=True)

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    """Its manager's bulk writes invalidate by themselves (``InvalidatingQuerySet``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    tags = models.ManyToManyField(Tag, blank=True, related_name="authors")

    objects = InvalidatingQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class FeaturedAuthor(Author):
    """A proxy: its saves are saves of Author rows."""

    class Meta:
        proxy = True
