from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render


def session(request: HttpRequest) -> HttpResponse:
    """Start a session (a cookie) and hand out the CSRF cookie, as a login page would."""
    request.session["visited"] = True
    return JsonResponse({"csrftoken": get_token(request)})


def page(request: HttpRequest) -> HttpResponse:
    """A page embedding the global contexts with {% mizan_hydrate %}."""
    return render(request, "codegen_app/page.html")
