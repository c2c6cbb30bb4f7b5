"""The README's demo command, run for real: a daphne server on a free loopback port."""

from __future__ import annotations

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "MIZAN_DEMO_DB": str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "demo/manage.py", "rundemo", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stdout.read().decode())
                time.sleep(0.1)
        else:
            pytest.fail("the demo did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """Just enough of a browser: cookies, a CSRF token and JSON posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def login(self, username: str, password: str) -> None:
        self.opener.open(f"{self.base}/login/").read()
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            }
        ).encode()
        self.opener.open(f"{self.base}/login/", data=data).read()

    def graphql(self, query: str, variables: dict | None = None, csrf: bool = True) -> dict:
        headers = {"Content-Type": "application/json"}
        if csrf and any(c.name == "csrftoken" for c in self.jar):
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        request = urllib.request.Request(
            f"{self.base}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers=headers,
        )
        with self.opener.open(request) as response:
            return json.loads(response.read())


def test_demo_serves_queries(demo_url):
    body = Browser(demo_url).graphql('{ echo(text: "hi") { message length } }')
    assert body == {"data": {"echo": {"message": "hi", "length": 2}}}


def test_demo_mutation_requires_sign_in_then_works(demo_url):
    browser = Browser(demo_url)
    mutation = (
        "mutation($id: Int!) { updateProfile(userId: $id, displayName: $name) { displayName } }"
    )
    mutation = mutation.replace("$id: Int!)", "$id: Int!, $name: String!)")
    anonymous = browser.graphql(mutation, {"id": 1, "name": "Alice L."})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    browser.login("alice", "alice-password")
    me = browser.graphql("{ currentUser { id username isAuthenticated } }")["data"]["currentUser"]
    assert me["username"] == "alice" and me["isAuthenticated"]
    body = browser.graphql(mutation, {"id": me["id"], "name": "Alice L."})
    assert body["data"] == {"updateProfile": {"displayName": "Alice L."}}
    assert body["extensions"]["mizan"]["invalidate"] == [f"user;user_id={me['id']}"]
    profile = browser.graphql(
        "query($id: Int!) { userProfile(userId: $id) { displayName } }", {"id": me["id"]}
    )
    assert profile["data"]["userProfile"]["displayName"] == "Alice L."


def test_demo_staff_only_function(demo_url):
    browser = Browser(demo_url)
    browser.login("bob", "bob-password")
    assert browser.graphql("{ userCount }")["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    staff = Browser(demo_url)
    staff.login("alice", "alice-password")
    assert staff.graphql("{ userCount }")["data"]["userCount"] >= 2
