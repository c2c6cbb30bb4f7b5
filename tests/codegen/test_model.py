"""The client model and its printers, on registries built for each test."""

from __future__ import annotations

import enum

import pytest
from pydantic import BaseModel

from mizan_gql import client, register
from mizan_gql.codegen import CodegenError, build_client, render_model
from mizan_gql.registry import use_registry
from mizan_gql.schema import get_schema


class Tone(enum.Enum):
    WARM = "warm"
    COOL = "cool"


class Filter(BaseModel):
    min_size: int
    label_text: str | None = None


class Profile(BaseModel):
    user_name: str
    tone: Tone
    nick_name: str | None = None


def user_profile(request, user_id: int) -> Profile:
    return Profile(user_name="x", tone=Tone.WARM)


def search(request, filter: Filter, page: int = 1) -> list[Profile]:
    return []


def delete(request, item_id: int) -> bool:
    return True


def me(request) -> Profile:
    return Profile(user_name="me", tone=Tone.COOL)


def greet(request, name: str) -> str:
    return name


def rich(request, filter: Filter) -> str:
    return ""


def build() -> tuple[object, dict[str, str]]:
    model = build_client(get_schema())
    return model, render_model(model)


def test_types_use_the_names_on_the_wire():
    with use_registry():
        register(client(user_profile), "user_profile")
        register(client(search), "search")
        _, files = build()
    types = files["types.ts"]
    assert "export type UserProfileResultUserProfile = {\n  userName: string;\n" in types
    assert "  nickName: string | null;" in types
    assert 'export type Tone = "WARM" | "COOL";' in types
    # Nullable input fields and defaulted arguments may be omitted; required ones may not.
    assert (
        "export type FilterInput = {\n  minSize: number;\n  labelText?: string | null;\n};"
    ) in types
    assert (
        "export type SearchVariables = {\n  filter: FilterInput;\n  page?: number | null;\n};"
    ) in types
    api = files["api.ts"]
    assert "export async function search(variables: T.SearchVariables, options?" in api
    assert "export async function userProfile(variables: T.UserProfileVariables" in api


def test_operations_are_the_persisted_ones():
    from mizan_gql.persisted import operations_for

    with use_registry():
        register(client(user_profile), "user_profile")
        model, files = build()
        persisted = operations_for(get_schema())
    op = model.operations["userProfile"]
    assert (op.document, op.sha256) == (
        persisted.fields["userProfile"].document,
        persisted.fields["userProfile"].sha256,
    )
    assert f'sha256: "{op.sha256}"' in files["operations.ts"]


def test_reserved_words_are_not_function_names():
    with use_registry():
        register(client(mutation=True)(delete), "delete")
        _, files = build()
    assert "export async function delete_(variables: T.DeleteVariables" in files["api.ts"]
    assert 'runMutation(OPERATIONS["delete"]' in files["api.ts"]


def test_contexts_of_each_kind():
    with use_registry():
        register(client(context="global")(me), "me")
        register(client(context="local")(greet), "greet")
        register(client(context="user", cache="public")(user_profile), "user_profile")
        register(client(context="search_ctx")(rich), "rich")
        model, files = build()
    by_name = {c.name: c for c in model.contexts}
    assert (by_name["me"].kind, by_name["me"].value_field, by_name["me"].params) == (
        "global",
        "me",
        (),
    )
    assert by_name["greet"].kind == "local" and by_name["greet"].value_field == "greet"
    user = by_name["user"]
    assert (user.kind, user.value_field, user.cache) == ("named", None, "public")
    assert [(p.python, p.graphql) for p in user.params] == [("user_id", "userId")]
    assert user.endpoint is True
    assert by_name["search_ctx"].endpoint is False  # an input object: sent as GraphQL
    react = files["react.ts"]
    assert 'export function useMe(): ContextResult<T.MeContextResult["me"]>' in react
    assert "export const GreetProvider = greetBinding.Provider;" in react
    assert "export const useUser = userBinding.use;" in react
    assert (
        '"user": { name: "user", operation: CONTEXT_OPERATIONS["user"], '
        'params: {"user_id": "userId"}, endpoint: true, cache: "public" }'
    ) in files["operations.ts"]


class Inner(BaseModel):
    x: int


class Outer(BaseModel):
    result: Inner


class Other(BaseModel):
    y: str


def a(request) -> Outer:
    return Outer(result=Inner(x=1))


def a_result_a(request) -> Other:
    return Other(y="")


def test_two_types_that_would_share_a_typescript_name_are_an_error():
    with use_registry():
        register(client(a), "a")
        register(client(a_result_a), "a_result_a")
        with pytest.raises(CodegenError, match="AResultAResult"):
            build()


def load_user_context(request) -> str:
    return ""


def test_a_function_named_like_a_context_loader_is_an_error():
    with use_registry():
        register(client(context="user")(user_profile), "user_profile")
        register(client(load_user_context), "load_user_context")
        with pytest.raises(CodegenError, match="'loadUserContext'"):
            build()
