"""{% mizan_hydrate %}: values exactly as GraphQL answers them, safely escaped."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import override_settings

from tests.contexts_app.mizan_clients import CALLS, NAMES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("context_cache"),
]
URLS = override_settings(ROOT_URLCONF="tests.contexts_app.urls")
SCRIPT = re.compile(r'<script id="mizan-hydrate" type="application/json">(.*?)</script>', re.DOTALL)


def hydrated(html: str) -> dict:
    scripts = SCRIPT.findall(html)
    assert len(scripts) == 1, html
    return json.loads(scripts[0])


@URLS
async def test_hydrated_values_equal_the_graphql_response(gql):
    page = await gql.get("/profile/5/")
    data = hydrated(page.content.decode())
    body = await gql.execute(
        "{ ctxProfile(userId: 5) { userId displayName bio } ctxProfileTags(userId: 5) }"
    )
    assert data["contexts"]["ctx_user"] == body["data"]
    assert data["params"] == {"ctx_user": {"user_id": 5}}
    # The page and the query shared one cache entry per function.
    assert CALLS["ctx_profile"] == 1


@URLS
async def test_public_only_leaves_private_contexts_out(gql):
    data = hydrated((await gql.get("/profile/5/")).content.decode())
    assert "ctx_me" not in data["contexts"] and "ctx_clock" not in data["contexts"]


@URLS
async def test_global_contexts_are_hydrated_for_the_signed_in_user(gql, users):
    await gql.force_login(users["alice"])
    data = hydrated((await gql.get("/note/x/")).content.decode())
    assert data["contexts"]["ctx_me"] == {
        "ctxMe": {"userId": users["alice"].pk, "userName": "alice"}
    }
    assert data["contexts"]["ctx_note"] == {"ctxNote": "alice:x"}


@URLS
async def test_script_breakouts_are_escaped(gql):
    NAMES[5] = "</script><script>alert(1)</script><!--"
    html = (await gql.get("/profile/5/")).content.decode()
    body = html.split('type="application/json">', 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert "</script>" not in body.lower() and "<!--" not in body
    profile = hydrated(html)["contexts"]["ctx_user"]["ctxProfile"]
    assert profile["displayName"] == "</script><script>alert(1)</script><!--"


@URLS
async def test_template_can_ask_for_a_context(gql):
    html = (await gql.get("/tag/?topic=</script><!--x")).content.decode()
    data = hydrated(html)
    assert data["contexts"]["ctx_note"] == {"ctxNote": "anonymous:</script><!--x"}
    assert data["params"]["ctx_note"] == {"topic": "</script><!--x"}
    assert html.count("</script>") == 1


def test_the_tag_needs_the_request():
    template = Template("{% load mizan %}{% mizan_hydrate %}")
    with pytest.raises(ImproperlyConfigured, match="context_processors.request"):
        template.render(Context({}))


def test_a_context_parameter_called_name_can_be_hydrated():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from mizan_gql import client
    from mizan_gql.registry import use_registry

    with use_registry():

        @client(context="local")
        def greet(request, name: str) -> str:
            return f"Hello, {name}!"

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        template = Template('{% load mizan %}{% mizan_hydrate "greet" name=who %}')
        html = template.render(Context({"request": request, "who": "Ada"}))
    assert hydrated(html)["contexts"]["greet"] == {"greet": "Hello, Ada!"}
