"""@view: URL derivation, checks, cache headers and invalidation headers of Django views."""

from __future__ import annotations

import pytest
from django.test import AsyncClient, Client, override_settings

import mizan_gql
from mizan_gql.contexts import pages as views_module
from mizan_gql.contexts import registered_views, view_urls
from mizan_gql.contexts.checks import context_problems, view_problems
from mizan_gql.contexts.viewurls import regex_to_path
from mizan_gql.registry import Problem, client, get_registry, use_registry
from tests.conftest import GraphQLClient
from tests.contexts_app import views

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("context_cache"),
]
URLS = override_settings(ROOT_URLCONF="tests.contexts_app.urls")


def entry(func) -> views_module.ViewEntry:
    return next(v for v in registered_views() if v.callback is func)


@pytest.mark.parametrize(
    ("regex", "path"),
    [
        (r"^profile/(?P<user_id>[0-9]+)/\Z", "profile/:user_id/"),
        (r"^profile/(?P<user_id>\d+)/$", "profile/:user_id/"),
        (r"^a\.b/(?P<slug>[-\w]+)/(?P<p>[^/)]+)$", "a.b/:slug/:p"),
        (r"^graphql", "graphql"),
        (r"^x/(\d+)/$", None),  # unnamed group
        (r"^(?:a|b)/$", None),  # alternatives
        (r"^p/(?P<id>\d+)?/$", None),  # optional parameter
        (r"^[a-z]+/$", None),  # character class outside a group
        (r"^p/\d+/$", None),
    ],
)
def test_regex_to_path(regex, path):
    assert regex_to_path(regex) == path


@URLS
def test_urls_are_derived_from_the_urlconf():
    assert view_urls(entry(views.profile_page)).patterns == ["/profile/:user_id/"]
    assert view_urls(entry(views.async_profile_page)).patterns == ["/aprofile/:user_id/"]
    nested = view_urls(entry(views.regex_profile))
    assert nested.patterns == ["/nested/people/:user_id.html"]
    unnamed = view_urls(entry(views.unnamed_regex_profile))
    assert unnamed.patterns == [] and unnamed.underivable == [r"unnamed/(\d+)/$"]
    assert not view_urls(entry(views.unrouted_profile)).found


@URLS
def test_view_urls_setting_overrides_the_urlconf():
    configured = {"unnamed_regex_profile": "/unnamed/:user_id/"}
    with override_settings(MIZAN={"VIEW_URLS": configured}):
        urls = view_urls(entry(views.unnamed_regex_profile))
    assert urls.configured and urls.patterns == ["/unnamed/:user_id/"]


@URLS
def test_view_checks():
    problems = {(p.id, p.obj) for p in view_problems(get_registry())}
    # Checks name the function the developer wrote (under the @view wrapper).
    assert ("mizan_gql.W028", views.unnamed_regex_profile.__wrapped__) in problems
    assert ("mizan_gql.W027", views.unrouted_profile.__wrapped__) in problems
    assert not any(obj is views.profile_page.__wrapped__ for _, obj in problems)
    with override_settings(MIZAN={"VIEW_URLS": {"unnamed_regex_profile": "/u/:user_id/"}}):
        problems = {(p.id, p.obj) for p in view_problems(get_registry())}
    assert ("mizan_gql.W028", views.unnamed_regex_profile.__wrapped__) not in problems


@pytest.fixture
def throwaway_views():
    before = list(views_module._views)
    yield
    views_module._views[:] = before


@URLS
def test_view_of_an_unknown_context_and_mismatched_url(throwaway_views):
    def lost(request):
        raise AssertionError

    mizan_gql.view(context="no_such_context")(lost)
    with override_settings(MIZAN={"VIEW_URLS": {"misnamed": "/m/:id/"}}):

        def misnamed(request, id: int):
            raise AssertionError

        mizan_gql.view(context="ctx_user")(misnamed)
        problems = view_problems(get_registry())
    assert (
        Problem(
            "mizan_gql.E026",
            "View 'tests.contexts.test_views.test_view_of_an_unknown_context_and_mismatched_url"
            ".<locals>.lost' (@view(context='no_such_context')) renders a context that no "
            "function declares.",
            "Declare a function with @client(context=...) of that name, or fix the name.",
            lost,
        )
        in problems
    )
    mismatch = [p for p in problems if p.obj is misnamed]
    assert [p.id for p in mismatch] == ["mizan_gql.W029"]
    assert "['id']" in mismatch[0].message and "['user_id']" in mismatch[0].message


def test_context_checks():
    with use_registry() as registry:

        @client(mutation=True, invalidates=["nowhere"])
        def change(request, user_id: int) -> int:
            return 1

        @client(cache="public", ttl=5)
        def plain(request) -> int:
            return 1

        @client(context="mixed", cache="public")
        def mixed_a(request, key: str) -> int:
            return 1

        @client(context="mixed", cache="private")
        def mixed_b(request, key: str) -> int:
            return 1

        problems = context_problems(registry)
    assert [(p.id, p.obj) for p in problems] == [
        ("mizan_gql.E024", change),
        ("mizan_gql.W025", plain),
        ("mizan_gql.W024", mixed_b),
    ]
    assert problems[0].message.endswith(
        "invalidates the context 'nowhere', which no function declares."
    )
    assert "mixed" in problems[1].hint or "context=" in problems[1].hint


def browser(gql) -> GraphQLClient:
    return GraphQLClient(AsyncClient() if gql.is_async else Client(), gql.is_async)


@URLS
async def test_public_view_gets_cache_control_and_tags(gql):
    response = await gql.get("/profile/5/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, s-maxage=300"
    assert response["Surrogate-Key"] == "ctx:ctx_user ctx:ctx_user:user_id=5"
    assert response["xkey"] == "ctx:ctx_user ctx:ctx_user:user_id=5"
    assert response["Cache-Tag"] == "ctx:ctx_user,ctx:ctx_user:user_id=5"


@URLS
async def test_error_responses_of_a_public_view_are_not_public(gql):
    response = await gql.get("/missing/5/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")
    assert "Surrogate-Key" not in response


@URLS
@pytest.mark.parametrize("path", ["/aprofile/5/", "/arender/5/", "/note/x/"])
async def test_pages_embedding_private_data_are_never_public(gql, users, path):
    await gql.force_login(users["alice"])
    response = await gql.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] in ("private", "no-store")
    for header in ("Surrogate-Key", "Cache-Tag", "xkey"):
        assert header not in response


@URLS
async def test_private_view_serves_each_user_their_own_data(gql, users):
    alice, bob, anonymous = gql, browser(gql), browser(gql)
    await alice.force_login(users["alice"])
    await bob.force_login(users["bob"])
    visits = ((alice, "alice"), (bob, "bob"), (anonymous, "anonymous"), (alice, "alice"))
    for visitor, who in visits:
        response = await visitor.get("/note/x/")
        assert f'"ctxNote": "{who}:x"' in response.content.decode()


@URLS
async def test_view_reports_its_invalidations(gql):
    response = await gql.get("/rename-page/5/")
    assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=5"
    assert response["Cache-Control"] == "no-store"
    assert "Surrogate-Key" not in response


@URLS
async def test_plain_views_need_the_middleware(gql, settings):
    response = await gql.get("/rename/7/")
    assert response.status_code == 200
    assert "X-Mizan-Invalidate" not in response
    middleware = [*settings.MIDDLEWARE, "mizan_gql.contexts.middleware.InvalidationMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        response = await browser(gql).get("/rename/7/")  # a client loading the new chain
    assert response["X-Mizan-Invalidate"] == "ctx_user;user_id=7"
    assert response["Cache-Control"] == "no-store"
