"""``manage.py export_persisted_queries [--out FILE]``: the generated operations as JSON.

The output is deterministic (sorted keys, stable order, fixed formatting), so it can be
committed, diffed in review and shipped to clients and CDNs::

    {"contexts": {"user": {"document": "query UserContext(...", "sha256": "...", ...}},
     "operations": {"echo": {"document": "query Echo(...", "sha256": "...", ...}},
     "version": 1}
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ...exceptions import RegistrationError
from ...persisted import operations_for
from ...schema import get_schema
from ..export import ExportCommand

FORMAT_VERSION = 1


def persisted_queries_json() -> str:
    """The export as text (what the command writes)."""
    data = {"version": FORMAT_VERSION, **operations_for(get_schema()).as_json()}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(ExportCommand):
    help = "Write the generated persisted operations (documents and sha256 hashes) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = persisted_queries_json()
        except RegistrationError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(text, options.get("out"))
