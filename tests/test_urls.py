"""Any prefix: ``include("mizan_gql.urls")`` under ``graphql``, ``graphql/``, ``api/graphql/``,
``api/graphql`` or the root gives clean URLs everywhere - the endpoints, the edge manifest,
the purges it resolves to, the generated client - and no other spelling answers."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import checks
from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, re_path

from mizan_gql import generate_edge_manifest
from mizan_gql.checks import check_urls
from mizan_gql.edge import resolve
from mizan_gql.urls import below_graphql_path, urlpatterns
from tests.contexts_app import mizan_clients

# prefix -> (the GraphQL path, where the context endpoints start)
PREFIXES = {
    "graphql": ("/graphql", "/graphql/ctx/"),
    "graphql/": ("/graphql/", "/graphql/ctx/"),
    "api/graphql/": ("/api/graphql/", "/api/graphql/ctx/"),
    "api/graphql": ("/api/graphql", "/api/graphql/ctx/"),
    "": ("/", "/ctx/"),
}
CONTEXT = "ctx_user"  # public, one parameter (tests/contexts_app)


def urlconf(*patterns) -> types.ModuleType:
    module = types.ModuleType("tests_prefixed_urls")
    module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return module


@pytest.fixture(params=list(PREFIXES), ids=lambda p: repr(p))
def prefix(request) -> Iterator[tuple[str, str]]:
    """The test project's URLconf with mizan_gql.urls under one prefix (and an empty cache:
    other tests of the process store the same contexts)."""
    caches["default"].clear()
    with override_settings(ROOT_URLCONF=urlconf(path(request.param, include("mizan_gql.urls")))):
        yield PREFIXES[request.param]


def misspellings(context_path: str) -> list[str]:
    """The context endpoint with the slash doubled, and glued to the prefix."""
    base = context_path.removesuffix("ctx/")
    glued = base.rstrip("/") + "ctx/" if base != "/" else "//ctx/"
    return [base + "/ctx/", glued]


async def test_the_endpoints_answer_at_clean_urls(gql, prefix, monkeypatch):
    graphql_path, context_path = prefix
    monkeypatch.setitem(mizan_clients.NAMES, 5, "Ada")
    query = json.dumps({"query": "{ ctxProfile(userId: 5) { displayName } }"})
    response = await gql.raw("post", graphql_path, query, "application/json")
    assert response.status_code == 200, response.content
    assert json.loads(response.content) == {"data": {"ctxProfile": {"displayName": "Ada"}}}

    response = await gql.get(f"{context_path}{CONTEXT}/?user_id=5")
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["data"]["ctxProfile"]["displayName"] == "Ada"


async def test_no_other_spelling_of_the_context_endpoint_answers(gql, prefix, settings):
    # Not even from ContextCacheMiddleware, which answers stored hits before the view.
    settings.MIDDLEWARE = ["mizan_gql.http.ContextCacheMiddleware", *settings.MIDDLEWARE]
    _, context_path = prefix
    stored = await gql.get(f"{context_path}{CONTEXT}/?user_id=6")
    assert stored.status_code == 200
    for wrong in misspellings(context_path):
        response = await gql.get(f"{wrong}{CONTEXT}/?user_id=6")
        assert response.status_code == 404, (wrong, response.content)


async def test_the_manifest_and_its_purges_name_the_served_urls(gql, prefix):
    _, context_path = prefix
    manifest = generate_edge_manifest()
    endpoint = f"{context_path}{CONTEXT}/"
    assert manifest["contexts"][CONTEXT]["endpoints"] == [endpoint]

    purge = resolve(f"{CONTEXT};user_id=7", manifest)
    assert f"{endpoint}?user_id=7" in purge.urls
    for url in purge.urls:  # what an edge purges is what the server answers at
        response = await gql.get(url)
        assert response.status_code == 200, (url, response.content)
    assert resolve(CONTEXT, manifest).prefixes == (endpoint,)

    with_base = generate_edge_manifest(base_url="https://example.com/")
    assert with_base["contexts"][CONTEXT]["endpoints"] == [f"https://example.com{endpoint}"]


def test_the_generated_client_uses_the_served_paths(prefix, tmp_path: Path):
    graphql_path, context_path = prefix
    call_command("export_client", "--out", str(tmp_path))
    generated = "\n".join(p.read_text() for p in sorted(tmp_path.iterdir()) if p.is_file())
    assert f"  graphqlPath: {json.dumps(graphql_path)}," in generated
    assert f"  contextPath: {json.dumps(context_path)}," in generated


def test_check_is_silent_for_every_prefix(prefix):
    assert check_urls() == []


def audit(request):
    return HttpResponse("audit")


def test_check_names_a_plugin_pattern_that_doubles_the_slash():
    # A plugin written for the "graphql" prefix only: its own leading slash.
    old_style = re_path(r"^(?:/)audit/$", audit, name="audit")
    mizan = ([*urlpatterns, *below_graphql_path([old_style])], "mizan_gql")
    with override_settings(ROOT_URLCONF=urlconf(path("api/graphql/", include(mizan)))):
        assert check_urls() == [
            checks.Warning(
                "The URL pattern 'audit' under mizan_gql.urls gives '/api/graphql//audit/', "
                "not a path one slash below the GraphQL path '/api/graphql/'.",
                hint="Write a plugin's URL patterns relative to the GraphQL path, "
                'without a leading slash: path("audit/", view).',
                obj=r"^(?:/)audit/$",
                id="mizan_gql.W075",
            )
        ]
    relative = re_path(r"^audit/$", audit, name="audit")
    mizan = ([*urlpatterns, *below_graphql_path([relative])], "mizan_gql")
    for route in PREFIXES:
        with override_settings(ROOT_URLCONF=urlconf(path(route, include(mizan)))):
            assert check_urls() == [], route


def test_check_warns_about_a_prefix_with_parameters():
    routed = urlconf(path("<slug:site>/graphql/", include("mizan_gql.urls")))
    with override_settings(ROOT_URLCONF=routed):
        assert check_urls() == [
            checks.Warning(
                "mizan_gql.urls is included at '<slug:site>/graphql/', a prefix with "
                "parameters: its URLs cannot be built, so the generated client, the edge "
                "manifest and the purges cannot name them (and the context endpoint does not "
                "take them).",
                hint="Include it under a fixed prefix: "
                'path("graphql/", include("mizan_gql.urls")).',
                id="mizan_gql.W076",
            )
        ]
    with override_settings(ROOT_URLCONF=urlconf(path("other/", audit))):
        assert check_urls() == []  # not included: nothing to say
