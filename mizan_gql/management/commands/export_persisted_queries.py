"""``manage.py export_persisted_queries [--out FILE]``: the generated operations as JSON.

The output is deterministic (sorted keys, stable order, fixed formatting), so it can be
committed, diffed in review and shipped to clients and CDNs::

    {"contexts": {"user": {"document": "query UserContext(...", "sha256": "...", ...}},
     "operations": {"echo": {"document": "query Echo(...", "sha256": "...", ...}},
     "version": 1}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...exceptions import RegistrationError
from ...persisted import operations_for
from ...schema.builder import get_schema

FORMAT_VERSION = 1


def persisted_queries_json() -> str:
    """The export as text (what the command writes)."""
    data = {"version": FORMAT_VERSION, **operations_for(get_schema()).as_json()}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the generated persisted operations (documents and sha256 hashes) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="Write to this file instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = persisted_queries_json()
        except RegistrationError as exc:
            raise CommandError(str(exc)) from exc
        out = options.get("out")
        if not out:
            self.stdout.write(text, ending="")
            return
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stderr.write(f"Wrote {out}")
