import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.soak_settings")

from django.core.asgi import get_asgi_application  # noqa: E402

from mizan_gql import wrap_asgi  # noqa: E402

application = wrap_asgi(get_asgi_application())
