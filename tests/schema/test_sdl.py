"""What the options and docstrings of a function put in the schema."""

from mizan_gql import client
from mizan_gql.registry import use_registry
from mizan_gql.schema import build_schema
from tests.registry import broken


def sdl_of(*decorated) -> str:
    with use_registry() as registry:
        for decorate, func in decorated:
            decorate(func)
        return build_schema(registry).as_str()


def test_docstring_and_description_and_deprecation():
    sdl = sdl_of(
        (client, broken.documented),
        (client(description="The first one.", deprecation_reason="Use second."), broken.first),
    )
    assert '  """Echo the text back."""\n  documented(text: String!): String!' in sdl
    assert '  """The first one."""\n  first: String! @deprecated(reason: "Use second.")' in sdl


def test_mutations_go_to_the_mutation_type():
    sdl = sdl_of((client(mutation=True), broken.rename), (client, broken.plain))
    assert "type Mutation {\n  rename(userId: Int!): String!\n}" in sdl
    assert "type Query {\n  plain: String!\n}" in sdl


def test_input_and_output_names():
    sdl = sdl_of((client, broken.place), (client, broken.item))
    assert "input OrderInput {\n  id: Int!\n}" in sdl
    assert "type Item {\n  name: String!\n}" in sdl


def test_an_empty_registry_still_has_a_query():
    assert "type Query {\n  mizanVersion: String!\n}" in sdl_of()
