"""``<name>Schema``: what a client needs to render and pre-validate a form."""

from __future__ import annotations

import pytest

from mizan_gql import get_schema
from tests.forms_app.mizan_clients import EverythingForm

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = """
fields {
  name label type jsonType format widget required disabled multiple helpText initial
  choices { value label group }
  minLength maxLength minValue maxValue step maxDigits decimalPlaces
  validators { kind message pattern flags inverseMatch schemes maxDigits decimalPlaces }
}
"""


async def test_spec_example_contact_schema(gql):
    body = await gql.execute("{ contactSchema { name title description multipart " + FIELDS + "} }")
    schema = body["data"]["contactSchema"]
    assert (schema["name"], schema["title"], schema["multipart"]) == (
        "contact",
        "Contact Us",
        False,
    )
    name, email = schema["fields"]
    assert name == {
        "name": "name",
        "label": "Name",
        "type": "String",
        "jsonType": "string",
        "format": None,
        "widget": "text",
        "required": True,
        "disabled": False,
        "multiple": False,
        "helpText": "",
        "initial": None,
        "choices": None,
        "minLength": None,
        "maxLength": 100,
        "minValue": None,
        "maxValue": None,
        "step": None,
        "maxDigits": None,
        "decimalPlaces": None,
        "validators": [],
    }
    assert (email["name"], email["type"], email["format"], email["widget"]) == (
        "email",
        "String",
        "email",
        "email",
    )
    assert [v["kind"] for v in email["validators"]] == ["email"]
    assert email["validators"][0]["message"] == "Enter a valid email address."


async def test_every_field_type_is_described(gql, choices):
    body = await gql.execute("{ everythingSchema { title multipart " + FIELDS + "} }")
    schema = body["data"]["everythingSchema"]
    fields = {f["name"]: f for f in schema["fields"]}
    # Declaration order is kept.
    assert list(fields) == [
        "text", "bio", "email", "website", "slug", "code", "count", "ratio", "price", "agree",
        "newsletter", "day", "moment", "clock", "size", "colours", "category", "tags",
    ]  # fmt: skip
    typing = {n: (f["type"], f["jsonType"], f["format"], f["widget"]) for n, f in fields.items()}
    assert typing == {
        "text": ("String", "string", None, "text"),
        "bio": ("String", "string", None, "textarea"),
        "email": ("String", "string", "email", "email"),
        "website": ("String", "string", "uri", "url"),
        "slug": ("String", "string", None, "text"),
        "code": ("String", "string", None, "text"),
        "count": ("Int", "integer", None, "number"),
        "ratio": ("Float", "number", None, "number"),
        "price": ("Decimal", "string", "decimal", "number"),
        "agree": ("Boolean", "boolean", None, "checkbox"),
        "newsletter": ("Boolean", "boolean", None, "checkbox"),
        "day": ("Date", "string", "date", "date"),
        "moment": ("DateTime", "string", "date-time", "datetime"),
        "clock": ("Time", "string", "time", "time"),
        "size": ("String", "string", None, "select"),
        "colours": ("[String!]", "array", None, "checkbox-multiple"),
        "category": ("ID", "string", None, "select"),
        "tags": ("[ID!]", "array", None, "select-multiple"),
    }
    text = fields["text"]
    assert (text["minLength"], text["maxLength"], text["helpText"], text["initial"]) == (
        2,
        20,
        "Say something",
        "hi",
    )
    assert [f["name"] for f in schema["fields"] if not f["required"]] == [
        "bio",
        "website",
        "newsletter",
        "colours",
        "tags",
    ]
    assert (
        fields["count"]["minValue"],
        fields["count"]["maxValue"],
        fields["count"]["initial"],
    ) == (1, 10, 1)
    assert (fields["ratio"]["minValue"], fields["ratio"]["maxValue"]) == (0.0, 1.0)
    price = fields["price"]
    assert (price["maxDigits"], price["decimalPlaces"], price["minValue"]) == (6, 2, "0.01")
    assert {"kind": "decimal", "maxDigits": 6, "decimalPlaces": 2} in [
        {k: v[k] for k in ("kind", "maxDigits", "decimalPlaces")} for v in price["validators"]
    ]
    assert fields["website"]["validators"][0]["kind"] == "url"
    assert fields["website"]["validators"][0]["schemes"] == ["http", "https", "ftp", "ftps"]
    # Python regexes come back in JavaScript syntax.
    slug = [v for v in fields["slug"]["validators"] if v["kind"] == "regex"]
    assert slug[0]["pattern"] == "^[-a-zA-Z0-9_]+$"
    code = [v for v in fields["code"]["validators"] if v["kind"] == "regex"]
    assert (code[0]["pattern"], code[0]["flags"], code[0]["inverseMatch"]) == (
        r"^[A-Z]{3}\d{2}$",
        "",
        False,
    )
    assert fields["size"]["choices"] == [
        {"value": "s", "label": "Small", "group": None},
        {"value": "m", "label": "Medium", "group": None},
        {"value": "l", "label": "Large", "group": None},
    ]
    assert fields["colours"]["choices"] == [
        {"value": "red", "label": "Red", "group": "Warm"},
        {"value": "orange", "label": "Orange", "group": "Warm"},
        {"value": "blue", "label": "Blue", "group": None},
    ]
    news, sport = choices["news"].pk, choices["sport"].pk
    # Django's own empty label: "---------" on 5.2, its translatable blank-choice label on 6.
    empty_label = str(EverythingForm.base_fields["category"].empty_label)
    assert fields["category"]["choices"] == [
        {"value": "", "label": empty_label, "group": None},
        {"value": str(news), "label": "news", "group": None},
        {"value": str(sport), "label": "sport", "group": None},
    ]
    assert [c["label"] for c in fields["tags"]["choices"]] == ["blue", "red"]


async def test_model_form_schema_and_labels(gql, users):
    await gql.force_login(users["alice"])
    body = await gql.execute(
        "{ articleSchema { title fields { name label type required widget } } }"
    )
    fields = [
        (f["name"], f["label"], f["type"], f["required"], f["widget"])
        for f in body["data"]["articleSchema"]["fields"]
    ]
    assert body["data"]["articleSchema"]["title"] == "Write an article"
    assert fields == [
        ("title", "Title", "String", True, "text"),
        ("body", "Body", "String", False, "textarea"),
        ("category", "Category", "ID", False, "select"),
        ("tags", "Tags", "[ID!]", False, "select-multiple"),
    ]


async def test_names_are_camel_cased(gql):
    body = await gql.execute("{ signUpSchema { name title fields { name widget } } }")
    assert body["data"]["signUpSchema"] == {
        "name": "sign_up",
        "title": "Sign up",
        "fields": [
            {"name": "username", "widget": "text"},
            {"name": "password", "widget": "password"},
            {"name": "passwordAgain", "widget": "password"},
        ],
    }


def test_input_types_in_the_sdl():
    sdl = get_schema().as_str()
    assert "contactSchema: FormSchema!" in sdl
    assert "contactValidate(data: ContactFormInput!): FormValidation!" in sdl
    assert "contactSubmit(data: ContactFormInput!): ContactFormSubmission!" in sdl
    assert "articleSubmit(data: ArticleFormInput!, id: ID = null): ArticleFormSubmission!" in sdl
    assert "input ContactFormInput {\n  name: String = null\n  email: String = null\n}" in sdl
    assert "result: EverythingResult" in sdl
    for line in (
        "price: Decimal = null",
        "colours: [String!] = null",
        "category: ID = null",
        "tags: [ID!] = null",
        "moment: DateTime = null",
    ):
        assert line in sdl
