from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    operations = [
        migrations.CreateModel(
            name="Context",
            fields=[
                ("name", models.CharField(max_length=200, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "context",
                "verbose_name_plural": "contexts",
                "permissions": [("invalidate_context", "Can invalidate cached contexts")],
                "managed": False,
                "default_permissions": ("view",),
            },
        ),
    ]
