"""The docs stay true to the code: every setting, check id and linked page is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mizan_gql.conf import DEFAULTS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mizan_gql"
CHECK_ID = re.compile(r"\b(?:mizan_gql\.)?([EW]0\d\d)\b")


def _code_check_ids() -> set[str]:
    ids: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        ids.update(re.findall(r'mizan_gql\.([EW]0\d\d)"', text))
        ids.update(re.findall(r'"([EW]0\d\d)"', text))
    return ids


@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_setting_is_documented(key):
    assert f"`{key}`" in (ROOT / "docs" / "settings.md").read_text()


def test_every_check_id_is_documented():
    documented = set(CHECK_ID.findall((ROOT / "docs" / "checks.md").read_text()))
    missing = _code_check_ids() - documented
    assert not missing, f"check ids missing from docs/checks.md: {sorted(missing)}"


def test_docs_only_link_to_pages_that_exist():
    pages = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        text = page.read_text()
        for target in re.findall(r"\bdocs/([\w-]+\.md)", text):
            if not (ROOT / "docs" / target).exists():
                broken.append(f"{page.name} -> docs/{target}")
        for target in re.findall(r"\]\(([\w./-]+\.md)\)", text):
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.name} -> {target}")
    assert not broken, broken


def test_every_private_name_is_in_the_architecture_page():
    from mizan_gql.schema.engine.private import PRIVATE_NAMES

    page = (ROOT / "docs" / "architecture.md").read_text()
    missing = [f"{e.owner}.{e.name}" for e in PRIVATE_NAMES if f"`{e.owner}.{e.name}`" not in page]
    assert not missing, f"private names missing from docs/architecture.md: {missing}"


def test_every_feature_plugin_is_in_the_architecture_page():
    from mizan_gql.apps import FEATURES

    page = (ROOT / "docs" / "architecture.md").read_text()
    missing = [plugin.name for plugin in FEATURES if f"`{plugin.name}`" not in page]
    assert not missing, f"plugins missing from docs/architecture.md: {missing}"
