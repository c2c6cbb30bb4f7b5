"""GraphiQL from the package's static files: the page names nothing outside the site, runs
no inline code, and every file it loads (and every file those load) is found by
django.contrib.staticfiles, served, and collected by ManifestStaticFilesStorage.

tests/http/test_graphiql_browser.py runs it in Chromium, offline, under a strict policy.
"""

from __future__ import annotations

import re
import types
from html.parser import HTMLParser
from pathlib import Path
from posixpath import dirname, normpath

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.core import checks
from django.core.management import call_command
from django.test import override_settings
from django.urls import include, path

from mizan_gql.checks import check_graphiql

BROWSER = {"headers": {"Accept": "text/html,application/xhtml+xml"}}
CSS_URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")


class Page(HTMLParser):
    """What a page loads (``src``/``href``) and what it would run or style inline."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)
            if name == "style" or name.startswith("on"):
                self.inline.append(f"<{tag} {name}>")
        if tag == "style":
            self.inline.append("<style>")

    def handle_data(self, data: str) -> None:
        if self._tag == "script" and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._tag = None


async def graphiql_page(gql) -> Page:
    response = await gql.get("/graphql", **BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = Page()
    page.feed(response.content.decode())
    return page


def static_paths(urls: list[str], static_url: str = "/static/") -> list[str]:
    assert all(url.startswith(static_url) for url in urls), urls
    return [url[len(static_url) :] for url in urls]


def stylesheet_references(css_path: str, css: str) -> list[str]:
    """The files a style sheet loads, as static paths (relative to the sheet)."""
    return [
        normpath(f"{dirname(css_path)}/{reference}")
        for _, reference in CSS_URL.findall(css)
        if not reference.startswith("#")
    ]


@pytest.fixture(autouse=True)
def graphiql_on(settings):
    settings.MIZAN = {"GRAPHIQL": True}


async def test_the_page_loads_only_files_of_the_site_and_runs_nothing_inline(gql):
    page = await graphiql_page(gql)
    assert page.inline == []
    assert len(page.urls) == 9  # the icon, three style sheets, five scripts
    for url in page.urls:
        assert url.startswith("/static/mizan_gql/graphiql/"), url  # no CDN, no other origin
        assert "//" not in url and ":" not in url, url


@override_settings(DEBUG=True)  # staticfiles' own view serves files in DEBUG only
async def test_every_file_is_found_and_served(gql, settings):
    urlconf = types.ModuleType("graphiql_with_static_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("graphql", include("mizan_gql.urls")),
        *staticfiles_urlpatterns(),
    ]
    settings.ROOT_URLCONF = urlconf
    pending = static_paths((await graphiql_page(gql)).urls)
    served: set[str] = set()
    while pending:  # bounded: each static file is visited once
        current = pending.pop()
        if current in served:
            continue
        assert finders.find(current), f"{current} is not found by the staticfiles finders"
        response = await gql.get(f"/static/{current}")
        assert response.status_code == 200, current
        served.add(current)
        if current.endswith(".css"):
            content = b"".join(response.streaming_content).decode()
            pending.extend(stylesheet_references(current, content))
    assert any(p.endswith(".woff2") for p in served)  # the fonts, files rather than data: URLs
    for current in served:
        assert "sourceMappingURL" not in Path(finders.find(current)).read_text(errors="ignore")


async def test_collectstatic_with_manifest_storage_and_the_page_it_gives(gql, settings, tmp_path):
    # Production: hashed names, every reference in the style sheets rewritten.
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    from asgiref.sync import sync_to_async

    await sync_to_async(call_command)("collectstatic", interactive=False, verbosity=0)
    page = await graphiql_page(gql)
    for current in static_paths(page.urls):
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|svg)$", current), current
        collected = tmp_path / current
        assert collected.is_file(), current
        if current.endswith(".css"):
            for reference in stylesheet_references(current, collected.read_text()):
                assert (tmp_path / reference).is_file(), (current, reference)


def test_check_wants_staticfiles_for_graphiql(settings):
    assert check_graphiql() == []
    apps = [app for app in settings.INSTALLED_APPS if app != "django.contrib.staticfiles"]
    with override_settings(INSTALLED_APPS=apps):
        assert check_graphiql() == [
            checks.Warning(
                "MIZAN['GRAPHIQL'] is on but django.contrib.staticfiles is not installed: the "
                "GraphiQL page loads its scripts and styles from mizan_gql's static files.",
                hint="Add 'django.contrib.staticfiles' to INSTALLED_APPS (runserver serves "
                "the files when DEBUG is on; collectstatic for production), or set "
                "MIZAN['GRAPHIQL'] = False.",
                id="mizan_gql.W077",
            )
        ]
        settings.MIZAN = {"GRAPHIQL": False}
        assert check_graphiql() == []
