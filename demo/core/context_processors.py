from django.conf import settings
from django.http import HttpRequest


def demo(request: HttpRequest) -> dict[str, object]:
    """What every page's shell needs: whether to link GraphiQL (served in DEBUG only)."""
    return {"graphiql": settings.DEBUG}
