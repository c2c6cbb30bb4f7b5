"""The reference resolver: header + manifest -> exactly the intended URLs and tags."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mizan_gql.contexts import Invalidation, encode_invalidations
from mizan_gql.edge import Resolution, expand_view, resolve

MANIFEST = {
    "contexts": {
        "user": {
            "endpoints": ["/graphql/ctx/user/"],
            "params": ["user_id"],
            "views": ["/profile/:user_id/", "/u/:user_id/posts.html"],
        },
        "catalog": {
            "endpoints": ["/graphql/ctx/catalog/"],
            "params": ["category", "page"],
            "views": ["/shop/:category/page-:page.html", "/feed/?category=:category&page=:page"],
        },
        "current_user": {"endpoints": ["/graphql/ctx/current_user/"], "params": [], "views": []},
    }
}


def test_the_spec_example():
    assert resolve("user;user_id=5", MANIFEST) == Resolution(
        urls=("/graphql/ctx/user/?user_id=5", "/profile/5/", "/u/5/posts.html"),
        tags=("ctx:user:user_id=5",),
    )


def test_base_url_from_the_argument_or_the_manifest():
    expected = ("https://example.com/graphql/ctx/user/?user_id=5", "https://example.com/profile/5/")
    assert resolve("user;user_id=5", MANIFEST, "https://example.com/").urls[:2] == expected
    with_base = {**MANIFEST, "base_url": "https://example.com"}
    assert resolve("user;user_id=5", with_base).urls[:2] == expected


def test_absolute_manifest_urls_are_kept():
    manifest = {
        "contexts": {
            "user": {
                "endpoints": ["https://api.example.com/graphql/ctx/user/"],
                "params": ["user_id"],
                "views": ["https://www.example.com/profile/:user_id/"],
            }
        }
    }
    assert resolve("user;user_id=5", manifest, "https://other.example").urls == (
        "https://api.example.com/graphql/ctx/user/?user_id=5",
        "https://www.example.com/profile/5/",
    )


def test_several_parameters_in_canonical_order():
    resolution = resolve("catalog;category=tea%20%26%20cake;page=2", MANIFEST)
    assert resolution.urls == (
        "/graphql/ctx/catalog/?category=tea+%26+cake&page=2",
        "/shop/tea%20&%20cake/page-2.html",
        "/feed/?category=tea%20%26%20cake&page=2",
    )
    assert resolution.tags == ("ctx:catalog:category=tea%20%26%20cake;page=2",)


def test_the_whole_context_gives_prefixes_and_the_context_tag():
    resolution = resolve("user", MANIFEST)
    assert resolution.urls == ()
    assert resolution.tags == ("ctx:user",)
    assert resolution.prefixes == ("/graphql/ctx/user/", "/profile/", "/u/")


def test_some_of_several_parameters_give_a_tag_per_parameter():
    resolution = resolve("catalog;category=tea", MANIFEST)
    assert resolution.urls == ()
    assert resolution.tags == ("ctx:catalog:category=tea",)
    assert resolution.prefixes == ("/graphql/ctx/catalog/", "/shop/", "/feed/?category=")


def test_a_context_without_parameters_is_one_url():
    resolution = resolve("current_user", MANIFEST)
    assert resolution.urls == ("/graphql/ctx/current_user/",)
    assert resolution.tags == ("ctx:current_user",)


def test_unknown_contexts_and_parameters_purge_nothing():
    resolution = resolve("nope;user_id=5, user;user_id=5;admin=1, user;role=x", MANIFEST)
    assert not resolution
    assert resolution.ignored == ("nope;user_id=5", "user;admin=1;user_id=5", "user;role=x")


def test_several_entries_are_merged_without_duplicates():
    resolution = resolve("user;user_id=5, user;user_id=5, user;user_id=6", MANIFEST)
    assert resolution.tags == ("ctx:user:user_id=5", "ctx:user:user_id=6")
    assert len(resolution.urls) == len(set(resolution.urls)) == 6


@pytest.mark.parametrize(
    "header", ["user;user_id=5 6", "user;user_id", "user;user_id=1;user_id=2", ";x=1", "user,,x"]
)
def test_malformed_headers_are_refused(header):
    with pytest.raises(ValueError):
        resolve(header, MANIFEST)


@pytest.mark.parametrize(
    "value, url",
    [
        ("5", "/profile/5/"),
        ("..", "/profile/%2E%2E/"),
        (".", "/profile/%2E/"),
        ("../admin", "/profile/..%2Fadmin/"),  # one segment, whatever the value
        ("a?b#c", "/profile/a%3Fb%23c/"),
        ("x y", "/profile/x%20y/"),
        ("a:b@c,d", "/profile/a:b@c,d/"),
        ("é", "/profile/%C3%A9/"),
    ],
)
def test_view_values_are_one_segment_quoted_like_django_reverse(value, url):
    assert expand_view("/profile/:user_id/", {"user_id": value}) == url


def test_expand_view_needs_every_placeholder():
    assert expand_view("/a/:x/:y/", {"x": "1"}) is None
    assert expand_view("/a/", {}) == "/a/"


hostile = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=30
)


@settings(max_examples=300, deadline=None)
@given(value=hostile, other=hostile)
def test_encode_then_resolve_gives_exactly_the_intended_urls(value, other):
    header = encode_invalidations([Invalidation("user", {"user_id": value})])
    resolution = resolve(header, MANIFEST)
    assert resolution.urls[0] == "/graphql/ctx/user/?" + urlencode({"user_id": value})
    for url in resolution.urls[1:]:
        # One path segment holding exactly the value: it cannot reach another page.
        path = urlsplit(url).path
        assert "?" not in url and "#" not in url
        assert path.startswith(("/profile/", "/u/"))
        assert path.count("/") == 3
        assert unquote(path.split("/")[2]) == value
    assert resolution.tags == (f"ctx:user:user_id={quote(value, safe='')}",)
    assert expand_view("/profile/:user_id/", {"user_id": value}) == resolution.urls[1]

    if other != value:
        theirs = resolve(encode_invalidations([Invalidation("user", {"user_id": other})]), MANIFEST)
        assert not set(theirs.urls) & set(resolution.urls)
        assert not set(theirs.tags) & set(resolution.tags)


@settings(max_examples=200, deadline=None)
@given(category=hostile, page=st.integers(min_value=-(10**12), max_value=10**12))
def test_multi_parameter_entries_resolve_exactly(category, page):
    header = encode_invalidations([Invalidation("catalog", {"page": page, "category": category})])
    resolution = resolve(header, MANIFEST)
    query = urlencode([("category", category), ("page", str(page))])
    assert resolution.urls[0] == f"/graphql/ctx/catalog/?{query}"
    assert resolution.tags == (f"ctx:catalog:category={quote(category, safe='')};page={page}",)
    feed = urlsplit(resolution.urls[2])
    assert feed.path == "/feed/"
    from urllib.parse import parse_qs

    assert parse_qs(feed.query, keep_blank_values=True) == {
        "category": [category],
        "page": [str(page)],
    }
