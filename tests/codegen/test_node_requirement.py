"""The Node-side tests skip locally without tests/ts/node_modules, and fail under CI=true."""

from __future__ import annotations

import pytest

from . import conftest


def test_missing_node_packages_skip_locally_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "TS_DIR", tmp_path)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as raised:
        conftest.require_node()
    assert "tests/ts/node_modules/typescript is missing" in str(raised.value)
    assert "npm install --no-package-lock" in str(raised.value)


def test_missing_node_packages_fail_under_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "TS_DIR", tmp_path)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but .*node_modules"):
        conftest.require_node()
