"""Property-based fuzzing of /graphql and /graphql/ctx/...: random documents, variables,
query strings and headers never produce a 500, a traceback, another user's data, or an
unbounded wait."""

from __future__ import annotations

import json
import time
from urllib.parse import quote, urlencode

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ = settings(
    max_examples=80,
    deadline=None,  # time is asserted per request below, not by hypothesis
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
SECRET = "alice-private-7d1f"  # in alice's data only; nobody else may ever see it
LEAKS = ("Traceback", "Did you mean", 'File "', "hunter2", SECRET, "django.", "strawberry.")

NAMES = [
    "whoami",
    "echo",
    "ctxMe",
    "ctxProfile",
    "ctxNote",
    "fail",
    "secretUser",
    "secretAlice",
    "setNote",
    "addAuthor",
    "authors",
    "books",
    "pqTree",
    "scalars",
    "__typename",
    "__schema",
    "__type",
    "describePerson",
    "nothing",
    "maybe",
    "positive",
]
PUNCT = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "$",
    "!",
    "=",
    "@",
    "...",
    "|",
    "&",
    ",",
    "#",
    '"',
    '"""',
    "\n",
    " ",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "true",
    "null",
]
# Lone surrogates: json.dumps escapes them (\ud800), and json.loads gives them back.
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
TOKENS = st.sampled_from(NAMES + PUNCT) | st.text(max_size=8) | st.integers().map(str) | SURROGATES
DOCUMENTS = st.lists(TOKENS, max_size=60).map(" ".join)
TEMPLATES = [
    "{ %s }",
    "query Q($v: String!) { echo(text: $v) { message } %s }",
    "query($u: Int!) { ctxProfile(userId: $u) { userId displayName } %s }",
    "{ ...F %s } fragment F on Query { ...F %s }",
    "mutation { setNote(text: %s) { message } }",
]
STRUCTURED = st.tuples(st.sampled_from(TEMPLATES), DOCUMENTS, DOCUMENTS).map(
    lambda t: t[0] % ((t[1],) if t[0].count("%s") == 1 else (t[1], t[2]))
)
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | SURROGATES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
VARIABLES = (
    st.none()
    | st.dictionaries(st.sampled_from(["v", "u", "text", "p", "x"]), JSONISH, max_size=3)
    | JSONISH
)
HEADER_NAMES = st.sampled_from(
    [
        "Accept",
        "Content-Type",
        "X-Forwarded-Host",
        "Origin",
        "X-CSRFToken",
        "Apollo-Require-Preflight",
        "X-Mizan-Invalidate",
        "Authorization",
        "If-None-Match",
        "Accept-Encoding",
        "Cookie",
    ]
)
HEADER_VALUES = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
HEADERS = st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=4)


@pytest.fixture
def clients(django_user_model):
    """An anonymous client and bob's; the user named SECRET has data in the cache."""
    alice, bob = Client(), Client()
    alice.force_login(django_user_model.objects.create_user(SECRET, password="pw"))
    bob.force_login(django_user_model.objects.create_user("bob", password="pw"))
    # Alice's private context entry is computed and cached first.
    response = alice.post(
        "/graphql",
        json.dumps({"query": "{ ctxMe { userName } }"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return {"anonymous": Client(), "bob": bob, "alice": alice}


def check(response, *, started: float, who: str) -> None:
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"took {elapsed:.1f}s"  # bounded: never a hang
    assert response.status_code < 500, response.content[:500]
    text = response.content.decode("utf-8", "replace")
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    for leak in LEAKS:
        assert leak not in text and leak not in headers, (leak, text[:500])
    if response.get("Content-Type", "").startswith("application/"):
        body = json.loads(text)  # always well-formed JSON
        assert isinstance(body, dict)
        for error in body.get("errors") or []:
            assert error["extensions"]["code"], error


def run(client: Client, who: str, method: str, *args, **kwargs) -> None:
    started = time.monotonic()
    response = getattr(client, method)(*args, **kwargs)
    check(response, started=started, who=who)


@FUZZ
@given(
    who=st.sampled_from(["anonymous", "bob"]),
    document=DOCUMENTS | STRUCTURED,
    variables=VARIABLES,
    operation=st.none() | st.sampled_from(["Q", "Write", ""]) | st.text(max_size=5),
    headers=HEADERS,
)
def test_fuzz_graphql_post(clients, who, document, variables, operation, headers):
    body = {"query": document, "variables": variables, "operationName": operation}
    content_type = headers.pop("Content-Type", "application/json")
    run(
        clients[who],
        who,
        "post",
        "/graphql",
        json.dumps(body),
        content_type=content_type,
        headers=headers,
    )


@FUZZ
@given(who=st.sampled_from(["anonymous", "bob"]), body=JSONISH | st.binary(max_size=60).map(repr))
def test_fuzz_graphql_post_bodies(clients, who, body):
    run(clients[who], who, "post", "/graphql", json.dumps(body), content_type="application/json")


@FUZZ
@given(
    who=st.sampled_from(["anonymous", "bob"]),
    params=st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions", "x"]),
        st.text(max_size=60) | DOCUMENTS | STRUCTURED | VARIABLES.map(json.dumps),
        max_size=4,
    ),
    headers=HEADERS,
)
def test_fuzz_graphql_get(clients, who, params, headers):
    # A URL holds bytes: lone surrogates go as their (invalid) UTF-8 bytes, %ED%A0%80.
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    run(clients[who], who, "get", "/graphql?" + query, headers=headers)


CONTEXTS = [
    "ctx_user",
    "ctx_me",
    "ctx_note",
    "ctx_pair",
    "local",
    "nothing",
    "__proto__",
    "a" * 200,
]


@FUZZ
@given(
    who=st.sampled_from(["anonymous", "bob"]),
    context=st.sampled_from(CONTEXTS) | st.from_regex(r"[A-Za-z_]\w{0,20}", fullmatch=True),
    query=st.lists(
        st.tuples(
            st.sampled_from(["user_id", "topic", "a", "b", "userId", "x", ""])
            | st.text(max_size=6),
            st.text(max_size=20) | st.integers().map(str),
        ),
        max_size=4,
    ),
    headers=HEADERS,
)
def test_fuzz_context_endpoint(clients, who, context, query, headers):
    string = "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
    run(clients[who], who, "get", f"/graphql/ctx/{context}/?{string}", headers=headers)


async def test_the_secret_is_really_there(clients):
    """The positive control: its owner sees it, so the leak checks can fail."""
    response = await sync_to_async(clients["alice"].get, thread_sensitive=True)(
        "/graphql/ctx/ctx_me/"
    )
    assert SECRET in response.content.decode()
