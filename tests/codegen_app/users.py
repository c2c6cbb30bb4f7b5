"""Signed-in users without database tables: a name kept in the (signed-cookie) session.

``/login/?name=alice`` signs the visitor in as ``alice``; the middleware makes
``request.user`` that user on each HTTP request, as Django's AuthenticationMiddleware does
for real users. The server-side-rendering test renders pages for two such users at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

SESSION_KEY = "codegen_user"


class SessionUser:
    """Just what mizan and the test functions read of a signed-in user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, username: str) -> None:
        self.username = username
        self.pk = self.id = f"user:{username}"

    def get_username(self) -> str:
        return self.username


class SessionUserMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = request.session.get(SESSION_KEY)
        if isinstance(name, str) and name:
            user = SessionUser(name)

            async def auser() -> SessionUser:
                return user

            request.user = user  # type: ignore[assignment]
            request.auser = auser  # type: ignore[attr-defined]
        return self.get_response(request)


def login(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "")
    if not name.isalnum():
        return JsonResponse({"error": "name: letters and digits only"}, status=400)
    request.session[SESSION_KEY] = name
    return JsonResponse({"username": name})
