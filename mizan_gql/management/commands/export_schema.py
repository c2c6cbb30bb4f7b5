"""``manage.py export_schema [schema_path] [--out FILE]``: the schema as SDL.

Without ``schema_path`` it prints the mizan_gql schema (registry + merged user types). Like
strawberry-django's command of the same name, a dotted path (``app.schema`` or
``app.schema:my_schema``; the symbol defaults to ``schema``) prints that Strawberry schema
instead. The output is deterministic: types are sorted by name, root fields by name, so it
can be committed and diffed in review.
"""

from __future__ import annotations

from typing import Any

import strawberry
from django.core.management.base import CommandError, CommandParser
from strawberry.printer import print_schema
from strawberry.utils.importer import import_module_symbol

from ...exceptions import MizanError
from ...schema import get_schema
from ..export import ExportCommand


def schema_sdl(schema_path: str | None = None) -> str:
    """The SDL the command writes (newline-terminated)."""
    schema = get_schema() if schema_path is None else _import_schema(schema_path)
    return print_schema(schema).rstrip("\n") + "\n"


def _import_schema(path: str) -> strawberry.Schema:
    try:
        symbol = import_module_symbol(path, default_symbol_name="schema")
    except (ImportError, AttributeError, ValueError) as exc:
        raise CommandError(
            f"Cannot import the schema {path!r}: {exc}. Give a dotted path such as "
            "'myproject.schema' or 'myproject.schema:schema'."
        ) from exc
    if not isinstance(symbol, strawberry.Schema):
        raise CommandError(
            f"{path!r} is a {type(symbol).__name__}, not a strawberry.Schema. Omit the path "
            "to export the mizan_gql schema."
        )
    return symbol


class Command(ExportCommand):
    help = "Write the GraphQL schema (SDL) of mizan_gql, or of the Strawberry schema given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "schema_path",
            nargs="?",
            help="Dotted path of a strawberry.Schema (default: the mizan_gql schema).",
        )
        parser.add_argument(
            "--out",
            "--path",  # strawberry-django's spelling
            dest="out",
            help="Write to this file instead of stdout.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = schema_sdl(options.get("schema_path"))
        except MizanError as exc:
            raise CommandError(
                f"{exc}\nRun `manage.py check` for every problem with its hint."
            ) from exc
        self.emit(text, options.get("out"))
