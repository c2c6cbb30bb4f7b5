from django.http import JsonResponse

# The lifespan events this process received (tests.websocket_app.asgi.Lifespan).
EVENTS: list[str] = []


def lifespan_events(request):
    return JsonResponse({"events": EVENTS})
