"""``depends_on=`` mistakes are system check errors naming the function, the model and the fix."""

from __future__ import annotations

import pytest
from django.core import checks

from mizan_gql import client
from mizan_gql.checks import check_registry
from mizan_gql.registry import use_registry
from tests.depends_app.models import Author

WHERE = "Server function 'tests.contexts.test_depends_on_checks.card'"
SHAPE_HINT = (
    'Write depends_on={Model: {"param": "field"}}, {Model: callable} or {Model: None} '
    '(every entry), or depends_on=[Model, "app_label.Model"].'
)
MODEL_HINT = (
    "Give the model class or its 'app_label.ModelName' label (e.g. 'auth.User'), "
    "and register the function in a mizan_clients module."
)


def card(request, user_id: int) -> str:
    return ""


def error(id: str, message: str, hint: str = SHAPE_HINT) -> checks.Error:
    return checks.Error(
        f"{WHERE}{message}",
        hint=hint,
        obj="tests.contexts.test_depends_on_checks.card",
        id=f"mizan_gql.{id}",
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"depends_on": ["depends_app.Nope"]},
            error(
                "E031",
                ": depends_on names 'depends_app.Nope', which is not an installed model.",
                MODEL_HINT,
            ),
        ),
        (
            {"depends_on": [dict]},
            error(
                "E031",
                ": depends_on names <class 'dict'>, which is not a concrete Django model.",
                MODEL_HINT,
            ),
        ),
        (
            {"depends_on": {Author: {"uid": "user"}}},
            error(
                "E032",
                ": depends_on[depends_app.Author] maps the parameter 'uid', which the function "
                "does not take (its parameters: user_id).",
                'Map parameters of the function to fields of the model: {"user_id": "field"}.',
            ),
        ),
        (
            {"depends_on": {"depends_app.Author": {"user_id": "usr"}}},
            error(
                "E033",
                ": depends_on[depends_app.Author] reads the field 'usr', which "
                "depends_app.Author does not have as a column.",
                "Use one of the fields of depends_app.Author: id, user, name; or a callable "
                "for values found through relations.",
            ),
        ),
        (
            {"depends_on": {Author: {"user_id": "tags"}}},
            error(
                "E033",
                ": depends_on[depends_app.Author] reads the field 'tags', which "
                "depends_app.Author does not have as a column.",
                "Use one of the fields of depends_app.Author: id, user, name; or a callable "
                "for values found through relations.",
            ),
        ),
        (
            {"depends_on": {Author: "user"}},
            error(
                "E034",
                ": depends_on[depends_app.Author] is 'user'; give a mapping of parameters to "
                "fields, a callable or None.",
            ),
        ),
        (
            {"depends_on": {Author: {}}},
            error(
                "E034",
                ": depends_on[depends_app.Author] is {}; give a mapping of parameters to "
                "fields, a callable or None.",
            ),
        ),
        (
            {"depends_on": 5},
            error("E034", ": depends_on=5 is not a mapping or a list."),
        ),
    ],
    ids=[
        "unknown-label",
        "not-a-model",
        "parameter",
        "field",
        "many-to-many",
        "shape",
        "empty",
        "type",
    ],
)
def test_a_broken_mapping_is_a_check_error(options, expected):
    with use_registry():
        client(context="dep_checks", **options)(card)
        assert check_registry() == [expected]


def test_depends_on_needs_a_context():
    with use_registry():
        client(depends_on=[Author])(card)
        assert check_registry() == [error("E034", " declares depends_on= but no context=.")]


def test_the_spellings_of_a_valid_mapping_pass():
    with use_registry():
        client(
            context="dep_checks",
            depends_on={
                Author: {"user_id": "user"},  # a foreign key by name
                "depends_app.Author": {"user_id": "user_id"},  # ... or by column
                "depends_app.Tag": None,
                "auth.User": lambda user: {"user_id": user.pk},
            },
        )(card)
        assert check_registry() == []
