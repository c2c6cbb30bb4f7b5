"""The README's demo command, run for real: daphne on a free loopback port, used over HTTP."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import websockets

from .conftest import DemoServer


class Browser:
    """Just enough of a browser: cookies, a CSRF token, pages and JSON posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def login(self, username: str, password: str) -> None:
        self.opener.open(f"{self.base}/login/", timeout=10).read()
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookie("csrftoken"),
            }
        ).encode()
        self.opener.open(f"{self.base}/login/", data=data, timeout=10).read()

    def get(self, path: str, headers: dict[str, str] | None = None):
        request = urllib.request.Request(f"{self.base}{path}", headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def graphql(self, query: str, variables: dict | None = None, csrf: bool = True) -> dict:
        headers = {"Content-Type": "application/json"}
        if csrf and any(c.name == "csrftoken" for c in self.jar):
            headers["X-CSRFToken"] = self.cookie("csrftoken")
        request = urllib.request.Request(
            f"{self.base}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers=headers,
        )
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())


def hydrated(page: str) -> dict:
    match = re.search(r'<script id="mizan-hydrate" type="application/json">(.*?)</script>', page)
    assert match, page
    return json.loads(match.group(1))


ME = "{ currentUser { id username isAuthenticated } }"
UPDATE = (
    "mutation($id: Int!, $name: String!, $bio: String) "
    "{ updateProfile(userId: $id, displayName: $name, bio: $bio) { displayName bio } }"
)
SUBMIT = (
    "mutation($data: ContactFormInput!) { contactSubmit(data: $data) "
    "{ valid fieldErrors { field messages codes } result { ticket } } }"
)


def test_demo_serves_queries(demo_server: DemoServer):
    body = Browser(demo_server.url).graphql('{ echo(text: "hi") { message length } }')
    assert body == {"data": {"echo": {"message": "hi", "length": 2}}}


def test_demo_mutation_requires_sign_in_then_works(demo_server: DemoServer):
    browser = Browser(demo_server.url)
    anonymous = browser.graphql(UPDATE, {"id": 1, "name": "Alice L."})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    browser.login("alice", "alice-password")
    me = browser.graphql(ME)["data"]["currentUser"]
    assert me["username"] == "alice" and me["isAuthenticated"]
    body = browser.graphql(UPDATE, {"id": me["id"], "name": "Alice L.", "bio": "Hello"})
    assert body["data"] == {"updateProfile": {"displayName": "Alice L.", "bio": "Hello"}}
    assert body["extensions"]["mizan"]["invalidate"] == [f"user;user_id={me['id']}", "people"]
    profile = browser.graphql(
        "query($id: Int!) { userProfile(userId: $id) { displayName } }", {"id": me["id"]}
    )
    assert profile["data"]["userProfile"]["displayName"] == "Alice L."


def test_demo_profiles_are_edited_by_their_owner_only(demo_server: DemoServer):
    bob = Browser(demo_server.url)
    bob.login("bob", "bob-password")
    people = bob.graphql("{ people { userId username } }")["data"]["people"]
    alice_id = next(p["userId"] for p in people if p["username"] == "alice")
    refused = bob.graphql(UPDATE, {"id": alice_id, "name": "Bob was here"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert refused["data"] is None

    blank = bob.graphql(UPDATE, {"id": bob.graphql(ME)["data"]["currentUser"]["id"], "name": " "})
    assert blank["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert blank["errors"][0]["extensions"]["fieldErrors"][0]["path"] == ["displayName"]


def test_demo_staff_only_function(demo_server: DemoServer):
    browser = Browser(demo_server.url)
    browser.login("bob", "bob-password")
    assert browser.graphql("{ userCount }")["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    staff = Browser(demo_server.url)
    staff.login("alice", "alice-password")
    assert staff.graphql("{ userCount }")["data"]["userCount"] >= 2


def test_pages_embed_the_current_user_and_their_contexts(demo_server: DemoServer):
    browser = Browser(demo_server.url)
    status, headers, page = browser.get("/")
    assert status == 200
    data = hydrated(page)
    assert data["contexts"]["current_user"]["currentUser"]["isAuthenticated"] is False
    assert {p["username"] for p in data["contexts"]["people"]["people"]} >= {"alice", "bob"}
    assert 'data-page="home"' in page and "/static/core/app/main.js" in page

    browser.login("alice", "alice-password")
    status, headers, page = browser.get("/")
    assert hydrated(page)["contexts"]["current_user"]["currentUser"]["username"] == "alice"
    # The page embeds a private context, so it must not be cached for everyone.
    assert "private" in headers["Cache-Control"]

    me = browser.graphql(ME)["data"]["currentUser"]
    status, headers, page = browser.get(f"/profile/{me['id']}/")
    assert status == 200
    data = hydrated(page)
    assert data["params"]["user"] == {"user_id": me["id"]}
    assert data["contexts"]["user"]["userProfile"]["username"] == "alice"
    assert browser.get("/profile/999999/")[0] == 404


def test_profile_context_endpoint_is_public_and_tagged(demo_server: DemoServer):
    status, headers, body = Browser(demo_server.url).get("/graphql/ctx/user/?user_id=1")
    assert status == 200
    assert json.loads(body)["data"]["userProfile"]["userId"] == 1
    assert headers["Cache-Control"] == "public, s-maxage=60"
    assert headers["Surrogate-Key"] == "ctx:user ctx:user:user_id=1"
    # The stored answer, from ContextCacheMiddleware in the demo's settings.
    status, again, stored = Browser(demo_server.url).get("/graphql/ctx/user/?user_id=1")
    assert status == 200 and stored == body
    assert again["ETag"] == headers["ETag"] and again["Content-Length"] == str(len(body.encode()))
    assert again["X-Content-Type-Options"] == "nosniff" and "Set-Cookie" not in again
    status, _, empty = Browser(demo_server.url).get(
        "/graphql/ctx/user/?user_id=1", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304 and empty == ""


def test_chat_needs_sign_in_and_a_valid_room(demo_server: DemoServer):
    browser = Browser(demo_server.url)
    status, _, page = browser.get("/chat/lobby/")
    assert status == 200 and 'id="login-form"' in page  # redirected to the sign-in page
    anonymous = browser.graphql('{ chatHistory(room: "lobby") { text } }')
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    browser.login("bob", "bob-password")
    status, _, page = browser.get("/chat/")
    assert status == 200 and 'data-page="chat"' in page
    assert browser.get("/chat/Not_A_Room/")[0] == 404
    bad = browser.graphql('{ chatHistory(room: "no spaces") { text } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    history = browser.graphql('{ chatHistory(room: "lobby") { text author } }')
    assert history["data"]["chatHistory"][0] == {
        "text": "Hi, and welcome to the lobby!",
        "author": "bob",
    }


CHAT = "subscription($room: String!) { chatChannel(room: $room) { id text author sent } }"
SEND = (
    "mutation($room: String!, $text: String!) "
    "{ chatChannelSend(room: $room, message: {text: $text}) }"
)


async def chat_socket(
    server: DemoServer, room: str, session: str | None
) -> websockets.ClientConnection:
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    ws = await websockets.connect(
        f"ws://127.0.0.1:{server.port}/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        origin=websockets.Origin(server.url),
        additional_headers=headers,
        open_timeout=10,
    )
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    payload = {"query": CHAT, "variables": {"room": room}}
    await ws.send(json.dumps({"type": "subscribe", "id": "chat", "payload": payload}))
    return ws


async def test_chat_messages_reach_subscribers_live_over_websocket(demo_server: DemoServer):
    alice, bob = Browser(demo_server.url), Browser(demo_server.url)
    await asyncio.to_thread(alice.login, "alice", "alice-password")
    await asyncio.to_thread(bob.login, "bob", "bob-password")
    room = f"test-{uuid.uuid4().hex[:8]}"
    ws = await chat_socket(demo_server, room, bob.cookie("sessionid"))
    try:
        # Subscriptions are not acknowledged: send until one arrives, then the real message.
        for attempt in range(50):
            sent = await asyncio.to_thread(
                alice.graphql, SEND, {"room": room, "text": f"p{attempt}"}
            )
            assert sent == {"data": {"chatChannelSend": True}}
            try:
                first = json.loads(await asyncio.wait_for(ws.recv(), 0.3))
                break
            except TimeoutError:
                continue
        else:
            raise AssertionError("the subscription never received a message")
        assert (
            first["type"] == "next" and first["payload"]["data"]["chatChannel"]["author"] == "alice"
        )
        await asyncio.to_thread(alice.graphql, SEND, {"room": room, "text": "  Hello, Bob!  "})
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            line = message["payload"]["data"]["chatChannel"]
            if not line["text"].startswith("p"):
                break
        assert line["text"] == "Hello, Bob!" and line["author"] == "alice"
        history = await asyncio.to_thread(
            bob.graphql,
            "query($room: String!) { chatHistory(room: $room) { id text } }",
            {"room": room},
        )
        assert history["data"]["chatHistory"][-1] == {"id": line["id"], "text": "Hello, Bob!"}
    finally:
        await ws.close()


async def test_chat_refuses_anonymous_subscribers_and_blank_messages(demo_server: DemoServer):
    ws = await chat_socket(demo_server, "lobby", session=None)
    try:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await ws.close()
    alice = Browser(demo_server.url)
    await asyncio.to_thread(alice.login, "alice", "alice-password")
    blank = await asyncio.to_thread(alice.graphql, SEND, {"room": "lobby", "text": "   "})
    assert blank["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_contact_form_reports_server_rules_then_creates_a_ticket(demo_server: DemoServer):
    browser = Browser(demo_server.url)
    data = {"name": "Ann", "email": "ann@example.com", "topic": "praise", "message": "Lovely demo!"}
    refused = browser.graphql(SUBMIT, {"data": data})["data"]["contactSubmit"]
    assert refused["valid"] is False and refused["result"] is None
    assert refused["fieldErrors"] == [
        {
            "field": "email",
            "messages": ["We cannot reply to example.com addresses; use one you read."],
            "codes": ["undeliverable"],
        }
    ]

    sent = browser.graphql(SUBMIT, {"data": {**data, "email": "ann@wonderland.test"}})
    sent = sent["data"]["contactSubmit"]
    assert sent["valid"] is True and sent["fieldErrors"] == []
    again = browser.graphql(SUBMIT, {"data": {**data, "email": "ann@wonderland.test"}})
    assert again["data"]["contactSubmit"]["result"]["ticket"] == sent["result"]["ticket"] + 1


def test_graphiql_is_served_in_debug(demo_server: DemoServer):
    status, headers, page = Browser(demo_server.url).get(
        "/graphql", headers={"Accept": "text/html"}
    )
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "graphiql" in page.lower()


def test_the_front_end_bundle_is_built_and_served(built_demo: DemoServer):
    status, headers, script = Browser(built_demo.url).get("/static/core/app/main.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]
    # The generated client is inside: its persisted operation hashes, not hand-written fetches.
    assert "mizanInvalidations" in script and "sha256" in script


@pytest.mark.parametrize("path", ["/", "/contact/", "/login/"])
def test_pages_link_the_stylesheet_and_the_app(demo_server: DemoServer, path: str):
    status, _, page = Browser(demo_server.url).get(path)
    assert status == 200
    assert "/static/core/site.css" in page and 'id="site-header"' in page
