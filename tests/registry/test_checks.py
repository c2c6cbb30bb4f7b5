"""Every system check fires with its id, a message naming the function, and a hint."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from mizan_gql import client, register
from mizan_gql.checks import check_registry, check_settings
from mizan_gql.registry import use_registry

from . import broken

W = "Server function 'tests.registry.broken.{0}' (registered as '{0}')"
F = "Server function 'tests.registry.broken.{0}'"
TYPES_HINT = (
    "Use str, int, float, bool, Decimal, date, datetime, time, UUID, an Enum, a Literal, "
    "list[...], X | None, dict (JSON), a pydantic model or a Strawberry type."
)


@pytest.fixture
def fresh():
    with use_registry() as registry:
        yield registry


def error(msg, hint, func, id):
    # Django prints obj before the message, so it is the function's dotted path.
    return checks.Error(msg, hint=hint, obj=f"{func.__module__}.{func.__qualname__}", id=id)


# -- settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mizan", "expected"),
    [
        (
            ["CACHE"],
            checks.Error(
                "settings.MIZAN must be a dict, not list.",
                hint='Write MIZAN = {"CACHE": "default", ...} or remove the setting.',
                id="mizan_gql.E001",
            ),
        ),
        (
            {"CAHCE": "default"},
            checks.Error(
                "MIZAN['CAHCE'] is not a mizan_gql setting.",
                hint="Known settings: "
                + ", ".join(sorted(__import__("mizan_gql.conf").conf.DEFAULTS))
                + ".",
                id="mizan_gql.E001",
            ),
        ),
        (
            {"MAX_DEPTH": "10"},
            checks.Error(
                "MIZAN['MAX_DEPTH'] must be int, not str.",
                hint="The default is 15; see docs/settings.md.",
                id="mizan_gql.E002",
            ),
        ),
        (
            {"DEFAULT_TTL": True},
            checks.Error(
                "MIZAN['DEFAULT_TTL'] must be int, not bool.",
                hint="The default is 300; see docs/settings.md.",
                id="mizan_gql.E002",
            ),
        ),
        (
            {"GRAPHIQL": "yes"},
            checks.Error(
                "MIZAN['GRAPHIQL'] must be bool or None, not str.",
                hint="The default is None; see docs/settings.md.",
                id="mizan_gql.E002",
            ),
        ),
        (
            {"PERSISTED_QUERIES": "always"},
            checks.Error(
                "MIZAN['PERSISTED_QUERIES'] is 'always'.",
                hint="Use 'apq' (default), 'trusted' or 'off'.",
                id="mizan_gql.E003",
            ),
        ),
        (
            {"MAX_TOKENS": 0},
            checks.Error(
                "MIZAN['MAX_TOKENS'] must be a positive number, not 0.",
                hint="The default is 2000.",
                id="mizan_gql.E003",
            ),
        ),
        (
            {"CACHE": "redis"},
            checks.Error(
                "MIZAN['CACHE'] names the cache 'redis', which is not in settings.CACHES.",
                hint="Use one of: default.",
                id="mizan_gql.E004",
            ),
        ),
        (
            {"EDGE_BASE_URL": "example.com"},
            checks.Error(
                "MIZAN['EDGE_BASE_URL'] is 'example.com', which is not an absolute origin.",
                hint="Write the scheme and host without a trailing slash, e.g. "
                "'https://example.com'.",
                id="mizan_gql.E003",
            ),
        ),
        (
            {"EDGE_BASE_URL": "https://example.com/"},
            checks.Error(
                "MIZAN['EDGE_BASE_URL'] is 'https://example.com/', which is not an absolute "
                "origin.",
                hint="Write the scheme and host without a trailing slash, e.g. "
                "'https://example.com'.",
                id="mizan_gql.E003",
            ),
        ),
        (
            {"SCHEMA_EXTENSIONS": ["tests.schema.user_schema.Stamp", 42]},
            checks.Error(
                "MIZAN['SCHEMA_EXTENSIONS'][1] is 42, not a class or a dotted path.",
                hint="List classes or dotted paths such as 'myapp.graphql.MyExtension'.",
                id="mizan_gql.E002",
            ),
        ),
        (
            {"VIEW_URLS": {"profile": 5}},
            checks.Error(
                "MIZAN['VIEW_URLS']['profile'] is 5; names and URLs must be strings.",
                hint="Map a view name to its URL pattern, e.g. {'profile': '/profile/:user_id/'}.",
                id="mizan_gql.E002",
            ),
        ),
    ],
    ids=[
        "not-a-dict",
        "unknown-key",
        "str-for-int",
        "bool-for-int",
        "str-for-bool",
        "bad-mode",
        "not-positive",
        "unknown-cache",
        "origin-without-scheme",
        "origin-with-slash",
        "extension-not-a-class",
        "view-url-not-a-string",
    ],
)
def test_settings_checks(mizan, expected):
    with override_settings(MIZAN=mizan):
        assert check_settings() == [expected]
        assert check_registry() == []  # the registry waits for valid settings


def test_valid_settings_pass():
    mizan = {
        "CACHE": "default",
        "MAX_DEPTH": 5,
        "GRAPHIQL": None,
        "EDGE_BASE_URL": "https://example.com",
        "SCHEMA_EXTENSIONS": ["tests.schema.user_schema.Stamp"],
        "VIEW_URLS": {"profile": "/profile/:user_id/"},
    }
    with override_settings(MIZAN=mizan):
        assert check_settings() == []


def test_unimportable_dotted_path(fresh):
    with override_settings(MIZAN={"QUERY": "tests.nowhere.Query"}):
        (message,) = check_registry()
    assert message.id == "mizan_gql.E005"
    assert "MIZAN['QUERY']: cannot import 'tests.nowhere.Query'" in message.msg
    assert message.hint == "Fix the dotted path in MIZAN."


# -- the registry --------------------------------------------------------------------


def test_missing_parameter_annotation(fresh):
    client(broken.untyped_param)
    assert check_registry() == [
        error(
            W.format("untyped_param") + ": `user_id` has no type annotation.",
            "Write `user_id: str` (or the type it takes).",
            broken.untyped_param,
            "mizan_gql.E010",
        )
    ]


def test_missing_return_annotation(fresh):
    client(broken.no_return)
    assert check_registry() == [
        error(
            W.format("no_return") + " has no return annotation.",
            "Write `def no_return(...) -> YourModel:` (or `-> None`).",
            broken.no_return,
            "mizan_gql.E011",
        )
    ]


@pytest.mark.parametrize(
    ("func", "message"),
    [
        (broken.complex_param, ", parameter `value`: complex is not a supported type."),
        (
            broken.union_return,
            ", return type: tests.registry.broken.Item | int is not a supported type: "
            "only `X | None` unions are supported.",
        ),
        (
            broken.mixed_literal,
            ", parameter `value`: typing.Literal['a', 1] is not a supported type: "
            "Literal values must share one type.",
        ),
    ],
    ids=["complex", "union", "mixed-literal"],
)
def test_unsupported_types(fresh, func, message):
    client(func)
    where = W.format(func.__name__)
    assert check_registry() == [error(where + message, TYPES_HINT, func, "mizan_gql.E012")]


def test_unresolvable_annotation(fresh):
    client(broken.unresolvable)
    (message,) = check_registry()
    assert message.id == "mizan_gql.E012"
    assert message.msg.startswith(W.format("unresolvable") + ": its annotations cannot be resolved")
    assert "Missing" in message.msg
    assert message.hint == "Import every type used in the annotations at module level."


def test_no_request_parameter(fresh):
    client(broken.no_request)
    assert check_registry() == [
        error(
            W.format("no_request") + " must take the Django request as its first parameter.",
            "Write `def no_request(request, ...)`.",
            broken.no_request,
            "mizan_gql.E013",
        )
    ]


def test_reserved_parameter_name(fresh):
    client(broken.reserved_param)
    assert check_registry() == [
        error(
            W.format("reserved_param") + ": the parameter name `info` is reserved by Strawberry.",
            "Rename `info` (for example to `info_value`).",
            broken.reserved_param,
            "mizan_gql.E018",
        )
    ]


def test_star_args(fresh):
    client(broken.star_args)
    assert check_registry() == [
        error(
            W.format("star_args") + ": `values` is *args/**kwargs, which GraphQL cannot describe.",
            "Declare each argument by name with a type annotation.",
            broken.star_args,
            "mizan_gql.E018",
        )
    ]


def test_default_graphql_cannot_represent(fresh):
    client(broken.bad_default)
    assert check_registry() == [
        error(
            W.format("bad_default") + " cannot become a GraphQL field: the default of `count` "
            "('many') is not valid: Input should be a valid integer, unable to parse string "
            "as an integer.",
            "Check the parameter types and defaults; defaults must be JSON-like values of the "
            "parameter's type.",
            broken.bad_default,
            "mizan_gql.E019",
        )
    ]


def test_duplicate_name(fresh):
    register(broken.first, "dup")
    register(broken.second, "dup")
    assert check_registry() == [
        error(
            "The name 'dup' is registered twice: tests.registry.broken.first, "
            "tests.registry.broken.second.",
            "Register one of them under another name: register(fn, 'other_name').",
            broken.second,
            "mizan_gql.E014",
        )
    ]


def test_invalid_name(fresh):
    register(broken.first, "first-one")
    assert check_registry() == [
        error(
            "'tests.registry.broken.first' is registered as 'first-one', "
            "which is not a valid name.",
            "Register it under a Python identifier, e.g. register(fn, 'user_profile').",
            broken.first,
            "mizan_gql.E014",
        )
    ]


def test_camel_case_collision(fresh):
    client(broken.user_name)
    client(broken.userName)
    assert check_registry() == [
        error(
            "The names 'userName', 'user_name' all become the GraphQL field 'userName'.",
            "Rename one of them so their camelCase forms differ.",
            broken.user_name,
            "mizan_gql.E015",
        )
    ]


def test_two_models_with_the_same_name(fresh):
    client(broken.item)
    client(broken.other_item)
    assert check_registry() == [
        error(
            "GraphQL type name 'Item' is claimed by both tests.registry.broken.Item and "
            "tests.registry.broken.make_other_item.<locals>.Item.",
            "Rename one of the classes; GraphQL type names must be unique across the schema.",
            broken.other_item,
            "mizan_gql.E016",
        )
    ]


def test_invalid_options(fresh):
    client(auth="admin")(broken.first)
    client(cache="shared", context="c")(broken.second)
    client(ttl=-5, context="c")(broken.plain)
    client(context="not a name")(broken.echo)
    assert check_registry() == [
        error(
            F.format("echo") + ": context='not a name' is not a valid context name.",
            "Use 'global', 'local' or a Python identifier such as 'user'.",
            broken.echo,
            "mizan_gql.E017",
        ),
        error(
            F.format("first") + ": auth='admin' is not a valid option.",
            "Use auth=True, auth='staff', auth='superuser' or a callable taking the request.",
            broken.first,
            "mizan_gql.E017",
        ),
        error(
            F.format("plain") + ": ttl=-5 is not a number of seconds.",
            "Give ttl as a non-negative int, e.g. ttl=600.",
            broken.plain,
            "mizan_gql.E017",
        ),
        error(
            F.format("second") + ": cache='shared' is not a valid option.",
            "Use cache='private' (default), 'public' or 'none'.",
            broken.second,
            "mizan_gql.E017",
        ),
    ]


def test_global_context_with_parameters(fresh):
    client(context="global")(broken.site)
    assert check_registry() == [
        error(
            F.format("site") + " (context 'site') is a global context but takes parameters (lang).",
            "Global contexts are fetched once per page with no arguments: use context='local' "
            "or a named context for parameterised data.",
            broken.site,
            "mizan_gql.E020",
        )
    ]


def test_local_context_without_parameters_is_a_warning(fresh):
    client(context="local")(broken.plain)
    assert check_registry() == [
        checks.Warning(
            F.format("plain") + " (context 'plain') is a local context without parameters.",
            hint="Use context='global' for data without parameters.",
            obj="tests.registry.broken.plain",
            id="mizan_gql.W020",
        )
    ]


def test_named_context_with_mismatched_parameters(fresh):
    client(context="user")(broken.profile)
    client(context="user")(broken.avatar)
    assert check_registry() == [
        error(
            "The functions of context 'user' take different parameters: avatar(user_id); "
            "profile(user_id).",
            "Every function of a named context must declare the same parameter names and types.",
            broken.profile,
            "mizan_gql.E021",
        )
    ]


def test_public_context_requiring_auth(fresh):
    client(context="user", cache="public", auth=True)(broken.profile)
    assert check_registry() == [
        error(
            F.format("profile") + " (context 'user') is cache='public' but requires auth; "
            "public entries are shared by every user.",
            "Use cache='private' for data that needs a signed-in user.",
            broken.profile,
            "mizan_gql.E022",
        )
    ]


def test_mutation_in_a_context(fresh):
    client(context="user", mutation=True)(broken.rename)
    assert check_registry() == [
        error(
            F.format("rename") + " (context 'user') is a mutation; contexts hold read "
            "functions only.",
            "Drop context= from the mutation, or mutation=/invalidates= from the read function.",
            broken.rename,
            "mizan_gql.E023",
        )
    ]


def test_clash_with_a_user_query_field(fresh):
    client(broken.echo)
    with override_settings(MIZAN={"QUERY": "tests.schema.user_schema.ClashingQuery"}):
        assert check_registry() == [
            checks.Error(
                "The field 'echo' is defined by MIZAN['QUERY'] (ClashingQuery) and by a "
                "registered function.",
                hint="Rename the function or the field of your Strawberry type.",
                id="mizan_gql.E015",
            )
        ]


def test_every_mistake_is_reported_at_once(fresh):
    client(broken.untyped_param)
    client(broken.complex_param)
    client(context="global")(broken.site)
    ids = sorted(m.id for m in check_registry())
    assert ids == ["mizan_gql.E010", "mizan_gql.E012", "mizan_gql.E020"]


def test_a_valid_registry_passes_and_stays_open(fresh):
    client(broken.plain)
    assert check_registry() == []
    assert not fresh.frozen  # checks must not block later registration
    client(broken.first)


def test_manage_py_check_reports_instead_of_crashing(fresh):
    client(broken.untyped_param)
    client(broken.complex_param)
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    text = str(raised.value)
    assert "mizan_gql.E010" in text and "mizan_gql.E012" in text
    assert "untyped_param" in text and "complex_param" in text


def test_input_suffix_collision(fresh):
    client(broken.place)
    client(broken.replace)
    assert check_registry() == [
        error(
            "GraphQL type name 'OrderInput' is claimed by both tests.registry.broken.Order "
            "(as an input) and tests.registry.broken.OrderInput (as an input).",
            "Rename one of the classes; GraphQL type names must be unique across the schema.",
            broken.replace,
            "mizan_gql.E016",
        )
    ]
