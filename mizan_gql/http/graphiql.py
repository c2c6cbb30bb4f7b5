"""The GraphiQL page, from the package's static files.

Strawberry's page loads React and GraphiQL from a CDN and runs an inline script, so it stays
at "Loading..." without internet and a strict Content-Security-Policy refuses it. This one
(``templates/mizan_gql/graphiql.html``) loads the same builds from
``static/mizan_gql/graphiql/`` through Django's staticfiles and its own script from a file:
it needs ``django.contrib.staticfiles`` (the check ``mizan_gql.W077`` says so) and nothing
outside the site. A project may override the template like any app template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string

from ..csrf import csrf_header_name

__all__ = ["TEMPLATE", "render_graphiql"]

TEMPLATE = "mizan_gql/graphiql.html"


def render_graphiql(request: HttpRequest) -> HttpResponse:
    """The GraphiQL page for ``request`` (a browser's GET of the GraphQL path)."""
    context = {
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "csrf_header_name": csrf_header_name(),
    }
    try:
        content = render_to_string(TEMPLATE, context, request=request)
    except TemplateDoesNotExist:  # no app directories loader in TEMPLATES
        content = _engine().get_template(TEMPLATE).render(Context(context))
    return HttpResponse(content)


@cache
def _engine() -> Any:
    templates = Path(__file__).resolve().parents[1] / "templates"
    return Engine(dirs=[str(templates)], libraries={"static": "django.templatetags.static"})
