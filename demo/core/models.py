from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    display_name = models.CharField(max_length=100)
    bio = models.TextField(blank=True, max_length=500)

    def __str__(self) -> str:
        return self.display_name


class ContactMessage(models.Model):
    """What the contact form received: the ticket number is the primary key."""

    name = models.CharField(max_length=100)
    email = models.EmailField()
    topic = models.CharField(max_length=20)
    message = models.TextField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.pk} from {self.email}"


class ChatMessage(models.Model):
    """A chat line, kept so that a newcomer sees the room's recent history."""

    room = models.SlugField(max_length=40, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.CharField(max_length=500)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent", "id"]

    def __str__(self) -> str:
        return f"{self.room}: {self.text[:40]}"
