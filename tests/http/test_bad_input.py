"""Malformed requests get a clear 4xx or a coded GraphQL error; never a 500 or a traceback."""

import json
from urllib.parse import urlencode

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from mizan_gql.decoding import MAX_DEPTH
from tests.conftest import codes_of
from tests.testapp.models import Author

pytestmark = pytest.mark.django_db(transaction=True)

MUTATION = 'mutation { addAuthor(name: "mallory") { id } }'
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
ECHO = "query($t: String!) { echo(text: $t) { message } }"


async def author_count() -> int:
    return await sync_to_async(Author.objects.count)()


def refusal(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert codes_of(body) == [code]
    assert body["errors"][0]["message"]
    assert b"Traceback" not in response.content
    return body["errors"][0]["message"]


async def post_raw(gql, body, content_type="application/json", **extra):
    return await gql.raw("post", "/graphql", body, content_type, **extra)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{not json", "JSON"),
        ('"a string"', "object"),
        ("42", "object"),
        ("null", "object"),
        ("[1, 2]", "object"),
        ('[{"query": "{ whoami }"}, "x"]', "object"),
        ("{}", "query"),
        ('{"query": 5}', "query"),
        ('{"query": ["{ whoami }"]}', "query"),
        ('{"query": "{ whoami }", "variables": [1]}', "variables"),
        ('{"query": "{ whoami }", "variables": "x"}', "variables"),
        ('{"query": "{ whoami }", "extensions": 1}', "extensions"),
    ],
)
async def test_malformed_body_is_400(gql, body, words):
    message = refusal(await post_raw(gql, body), 400, "BAD_REQUEST")
    assert words in message


DEEP = "[" * 5_000 + "]" * 5_000  # deeper than json.loads goes on Python 3.11 and 3.12
HUGE = "9" * 5_000  # an integer of more digits than Python converts by default


def nested(levels: int) -> str:
    """Objects and arrays in turn, ``levels`` deep, outermost an object: {"a": [{"a": 0}]}."""
    opening = "".join('{"a": ' if level % 2 == 0 else "[" for level in range(levels))
    closing = "".join("}" if level % 2 == 0 else "]" for level in reversed(range(levels)))
    return opening + "0" + closing


@pytest.mark.parametrize(
    ("body", "words"),
    [
        # Escapes of lone surrogates decode to code points that are not Unicode text.
        ('{"query": "{ whoami } # \\ud800"}', "surrogate"),
        ('{"query": "' + ECHO + '", "variables": {"t": "\\udfff"}}', "surrogate"),
        ('{"query": "{ whoami }", "operationName": "\\ud800"}', "surrogate"),
        ('{"query": "{ whoami }", "variables": {"\\ud800": 1}}', "surrogate"),
        (b'{"query": "{ whoami } # \xed\xa0\x80"}', "surrogate"),  # CESU-8 bytes
        ('{"query": "{ whoami }", "variables": {"t": ' + DEEP + "}}", "deeply"),
        (DEEP, "deeply"),
        # Python's json module reads these, but they are not JSON (RFC 8259).
        # (echoJson used to answer {"received": {"a": NaN}}, which no JSON parser reads.)
        (
            '{"query": "query($j: JSON!) { echoJson(data: $j) }", "variables": {"j": {"a": NaN}}}',
            "NaN",
        ),
        ('{"query": "{ whoami }", "extensions": {"x": -Infinity}}', "Infinity"),
        # More digits than Python's int() converts (4,300): json.loads raises ValueError.
        ('{"query": "' + ECHO + '", "variables": {"t": ' + HUGE + "}}", "digits"),
        ('{"query": "{ whoami }", "extensions": {"x": [-' + HUGE + "]}}", "digits"),
        # Python reads it as infinity: a JSON argument answered {"a": Infinity}.
        (
            '{"query": "query($j: JSON!) { echoJson(data: $j) }", '
            '"variables": {"j": {"a": 1e999}}}',
            "range",
        ),
    ],
)
async def test_json_that_is_not_json_text_or_nests_too_deeply_is_400(gql, body, words, caplog):
    message = refusal(await post_raw(gql, body), 400, "BAD_REQUEST")
    assert words in message
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ('{"t": "\\ud800"}', "surrogate"),
        ('{"t": ' + DEEP + "}", "deeply"),
        ('{"t": ' + HUGE + "}", "digits"),
        ('{"t": -1' + HUGE + ".0}", "range"),
    ],
)
async def test_get_variables_that_are_not_text_or_nest_too_deeply_are_400(
    gql, variables, words, caplog
):
    query = urlencode({"query": ECHO, "variables": variables})
    assert words in refusal(await gql.get(f"/graphql?{query}"), 400, "BAD_REQUEST")
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_nesting_is_limited_to_max_depth_on_every_python(gql):
    """A document 512 levels deep is welcome; one more level is refused, even where
    json.loads goes deeper (Python 3.13 reads 50,000 levels, which pydantic or a function
    may then choke on)."""
    query = "query($j: JSON!) { echoJson(data: $j) }"

    def body(levels: int) -> str:  # the body and `variables` are two levels of it
        return '{"query": "' + query + '", "variables": {"j": ' + nested(levels - 2) + "}}"

    response = await post_raw(gql, body(MAX_DEPTH))
    assert response.status_code == 200, response.content[:300]
    assert "errors" not in response.json(), response.content[:300]
    expected = json.loads(nested(MAX_DEPTH - 2))
    assert response.json()["data"]["echoJson"] == {"received": expected}

    assert "deeply" in refusal(await post_raw(gql, body(MAX_DEPTH + 1)), 400, "BAD_REQUEST")
    get = urlencode({"query": query, "variables": '{"j": ' + nested(MAX_DEPTH) + "}"})
    assert "deeply" in refusal(await gql.get(f"/graphql?{get}"), 400, "BAD_REQUEST")


async def test_escaped_surrogate_pairs_are_ordinary_text(gql):
    """The positive control: a pair (how JSON escapes 😀) is one character, and welcome."""
    body = '{"query": "' + ECHO + '", "variables": {"t": "\\ud83d\\ude00"}}'
    response = await post_raw(gql, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"data": {"echo": {"message": "\N{GRINNING FACE}"}}}


@pytest.mark.parametrize(
    "variables",
    [{"t": 5}, {"t": None}, {}, {"t": ["a"]}, {"t": {"nested": "x"}}],
)
async def test_variables_of_wrong_type_or_shape(gql, variables):
    body = await gql.execute(ECHO, variables)
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["BAD_USER_INPUT"]
    assert "$t" in body["errors"][0]["message"]


async def test_unknown_field(gql):
    body = await gql.execute("{ noSuchField }")
    assert "data" not in body  # a request error: nothing was executed
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]


SCALARS = (
    '{ scalars(text: "a", number: 1, ratio: RATIO, flag: true, amount: "1", day: "2020-01-01", '
    'moment: "2020-01-01T00:00:00Z", clock: "10:00:00", '
    'ident: "00000000-0000-0000-0000-000000000000", color: RED, mode: "fast", tags: []) '
    "{ ratio } }"
)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        # int() raised ValueError inside validation: INTERNAL_SERVER_ERROR and a traceback.
        ("{ positive(value: " + HUGE + ") }", "digits"),
        ("query($v: Int = -" + HUGE + ") { positive(value: $v) }", "digits"),
        # A JSON argument read it as NaN and answered {"a": [NaN]}, which is not JSON.
        ("{ echoJson(data: {a: [" + HUGE + "]}) }", "digits"),
        # Python reads these as infinity: a Float's output failed (a 500), a JSON argument
        # answered Infinity.
        (SCALARS.replace("RATIO", "1e999"), "range"),
        (SCALARS.replace("RATIO", "1" + HUGE + ".5"), "range"),
        ("{ echoJson(data: {a: -1e999}) }", "range"),
    ],
    ids=["int", "variable default", "json", "float", "float digits", "json float"],
)
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE_JSON])
async def test_number_literals_python_cannot_read_are_validation_errors(
    gql, query, words, accept, caplog
):
    for _ in range(2):  # the second answer comes from the validation result remembered
        response = await gql.post(query, headers={"Accept": accept})
        assert response.status_code == (400 if accept == GRAPHQL_RESPONSE_JSON else 200)
        body = response.json()
        assert body.get("data") is None
        assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]
        assert words in body["errors"][0]["message"]
        assert body["errors"][0]["locations"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_unknown_argument(gql):
    body = await gql.execute('{ echo(text: "a", extra: 1) { message } }')
    assert codes_of(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_query_over_get(gql):
    response = await gql.get("/graphql?" + urlencode({"query": '{ echo(text: "g") { message } }'}))
    assert response.status_code == 200
    assert response.json() == {"data": {"echo": {"message": "g"}}}


async def test_mutation_over_get_is_405_and_not_executed(gql):
    response = await gql.get("/graphql?" + urlencode({"query": MUTATION}))
    refusal(response, 405, "METHOD_NOT_ALLOWED")
    assert response["Allow"] == "POST"
    assert await author_count() == 0


SUBSCRIPTIONS = {
    "subscription": "subscription { newsChannel { headline } }",
    "chosen by operationName": {
        "query": "query Q { whoami } subscription S { mizanInvalidations { header } }",
        "operationName": "S",
    },
}


@pytest.mark.parametrize("document", SUBSCRIPTIONS)
@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE_JSON])
async def test_a_subscription_over_plain_http_is_400(gql, document, method, accept, caplog):
    """A subscription is a stream: it is sent over the WebSocket, never run by a plain
    HTTP request (its field resolved once failed as INTERNAL_SERVER_ERROR, logged)."""
    params = SUBSCRIPTIONS[document]
    params = params if isinstance(params, dict) else {"query": params}
    for _ in range(2):
        if method == "get":
            response = await gql.get("/graphql?" + urlencode(params), headers={"Accept": accept})
        else:
            response = await post_raw(gql, json.dumps(params), headers={"Accept": accept})
        assert "WebSocket" in refusal(response, 400, "BAD_REQUEST")
        assert "data" not in response.json()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize(
    ("content_type", "encode"),
    [
        ("application/x-www-form-urlencoded", lambda d: urlencode(d)),
        ("text/plain", json.dumps),
        ("text/plain;charset=UTF-8", json.dumps),
        ("multipart/form-data; boundary=BoUnDaRy", None),
    ],
)
async def test_simple_content_types_cannot_run_mutations(gql, content_type, encode):
    data = {"query": MUTATION}
    if encode is None:  # let the test client build a real multipart body
        response = await gql.raw("post", "/graphql", data)
    else:
        response = await post_raw(gql, encode(data), content_type)
    refusal(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert await author_count() == 0


async def test_json_post_runs_the_mutation(gql):
    body = await gql.execute(MUTATION)
    assert body["data"]["addAuthor"]["id"]
    assert await author_count() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
async def test_body_over_upload_limit_is_413(gql):
    response = await gql.post(ECHO, {"t": "x" * 2000})
    message = refusal(response, 413, "PAYLOAD_TOO_LARGE")
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in message


async def test_other_methods_are_405(gql):
    response = await gql.raw("put", "/graphql", "{}", "application/json")
    refusal(response, 405, "METHOD_NOT_ALLOWED")


async def test_get_without_query_is_400(gql):
    refusal(await gql.get("/graphql"), 400, "BAD_REQUEST")


async def test_get_with_more_parameters_than_django_allows_is_400(gql, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    query = urlencode({"query": ECHO, "variables": '{"t": "x"}'}) + "&x=1" * 10
    message = refusal(await gql.get(f"/graphql?{query}"), 400, "BAD_REQUEST")
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in message


async def test_get_with_malformed_variables_is_400(gql):
    query = urlencode({"query": ECHO, "variables": "{not json"})
    assert "variables" in refusal(await gql.get(f"/graphql?{query}"), 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("name", "value"), [("variables", "0"), ("variables", "[1]"), ("extensions", '"x"')]
)
async def test_get_parameters_that_are_not_objects_are_400(gql, name, value):
    query = urlencode({"query": ECHO, name: value})
    message = refusal(await gql.get(f"/graphql?{query}"), 400, "BAD_REQUEST")
    assert f"`{name}` must be an object or null" in message


async def test_get_with_null_variables_and_extensions_runs_like_a_post(gql):
    query = urlencode(
        {"query": '{ echo(text: "n") { message } }', "variables": "null", "extensions": "null"}
    )
    response = await gql.get(f"/graphql?{query}")
    assert response.status_code == 200, response.content
    assert response.json() == {"data": {"echo": {"message": "n"}}}


async def test_graphql_response_json_is_honoured(gql):
    accept = {"headers": {"Accept": GRAPHQL_RESPONSE_JSON}}
    response = await gql.post(ECHO, {"t": "a"}, **accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/graphql-response+json"
    assert response.json() == {"data": {"echo": {"message": "a"}}}


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ noSuchField }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ echo(", None, "GRAPHQL_PARSE_FAILED"),
        (ECHO, {"t": 5}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_are_400_for_graphql_response_json(gql, query, variables, code):
    response = await gql.post(query, variables, headers={"Accept": GRAPHQL_RESPONSE_JSON})
    assert response.status_code == 400
    assert response["Content-Type"] == GRAPHQL_RESPONSE_JSON
    body = response.json()
    assert "data" not in body  # nothing was executed
    assert codes_of(body) == [code]


async def test_field_errors_stay_200_for_graphql_response_json(gql):
    response = await gql.post(
        '{ fail(code: "NOT_FOUND") }', headers={"Accept": GRAPHQL_RESPONSE_JSON}
    )
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert codes_of(response.json()) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ noSuchField }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("{ echo(", None, "GRAPHQL_PARSE_FAILED"),
        (ECHO, {"t": 5}, "BAD_USER_INPUT"),
    ],
)
@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize("accept", ["application/json", None])
async def test_plain_json_clients_get_200_and_no_data_for_request_errors(
    gql, query, variables, code, method, accept
):
    """GraphQL spec, "Response": an error raised before execution means no ``data`` entry,
    whatever the media type; GraphQL-over-HTTP: application/json answers it with 200."""
    headers = {"Accept": accept} if accept else {}
    if method == "get":
        params = {"query": query}
        if variables is not None:
            params["variables"] = json.dumps(variables)
        response = await gql.get("/graphql?" + urlencode(params), headers=headers)
    else:
        response = await gql.post(query, variables, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "data" not in body
    assert codes_of(body) == [code]


@override_settings(MIZAN={"MAX_DEPTH": 2, "MAX_ALIASES": 2, "MAX_TOKENS": 40})
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ authors { books { author { name } } } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ a: whoami b: whoami c: whoami }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ " + "whoami " * 50 + "}", "GRAPHQL_PARSE_FAILED"),
    ],
    ids=["depth", "aliases", "tokens"],
)
async def test_document_limits(gql, query, code):
    body = await gql.execute(query)
    assert "data" not in body  # a request error: nothing was executed
    assert set(codes_of(body)) == {code}
