"""Without introspection, every operation validates with one shared tuple of rules."""

from __future__ import annotations

from types import SimpleNamespace

from graphql.validation import NoSchemaIntrospectionCustomRule, specified_rules

from mizan_gql.schema.builder import NoIntrospection


def rules_of_an_operation() -> tuple:
    extension = NoIntrospection()
    extension.execution_context = SimpleNamespace(validation_rules=tuple(specified_rules))
    hook = extension.on_operation()
    next(hook)
    return extension.execution_context.validation_rules


def test_the_rule_is_added_once_to_one_shared_tuple():
    first, second = rules_of_an_operation(), rules_of_an_operation()
    assert first == (*specified_rules, NoSchemaIntrospectionCustomRule)
    assert first is second
