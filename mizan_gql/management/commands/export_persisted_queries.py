"""``manage.py export_persisted_queries [--format F] [--out FILE]``: the generated operations.

The output is deterministic (sorted keys, stable order, fixed formatting), so it can be
committed, diffed in review and shipped to clients and CDNs. ``--format``:

* ``mizan`` (default)::

      {"contexts": {"user": {"document": "query UserContext(...", "sha256": "...", ...}},
       "operations": {"echo": {"document": "query Echo(...", "sha256": "...", ...}},
       "version": 1}

* ``apollo``: Apollo's persisted-query manifest (what ``@apollo/persisted-query-lists``
  reads), each body as Apollo Client sends it (``__typename`` added)::

      {"format": "apollo-persisted-query-manifest", "version": 1,
       "operations": [{"id": "<sha256>", "name": "Echo", "type": "query", "body": "..."}]}

* ``relay`` and ``codegen``: ``{"<sha256>": "<document>"}``, the persisted documents of
  Relay's compiler and of GraphQL Code Generator's client preset.

Every exported document and id is one the server trusts.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from ...exceptions import RegistrationError
from ...persisted import Operation, operations_for
from ...persisted.manifests import APOLLO_FORMAT
from ...persisted.typename import apollo_form
from ...schema import get_schema
from ...schema.hashing import document_hash
from ..export import ExportCommand

FORMAT_VERSION = 1
FORMATS = ("mizan", "apollo", "relay", "codegen")


def persisted_queries_json(format: str = "mizan") -> str:
    """The export as text (what the command writes)."""
    operations = operations_for(get_schema())
    data: Any
    if format == "mizan":
        data = {"version": FORMAT_VERSION, **operations.as_json()}
    else:
        every = sorted(
            (*operations.fields.values(), *operations.contexts.values()), key=lambda o: o.name
        )
        if format == "apollo":
            data = {
                "format": APOLLO_FORMAT,
                "version": 1,
                "operations": [_apollo_entry(operation) for operation in every],
            }
        else:
            data = {operation.sha256: operation.document for operation in every}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _apollo_entry(operation: Operation) -> dict[str, str]:
    body = apollo_form(operation.document) or operation.document
    return {"id": document_hash(body), "name": operation.name, "type": operation.kind, "body": body}


class Command(ExportCommand):
    help = (
        "Write the generated persisted operations (documents and sha256 hashes) as JSON, "
        "in mizan's format or as an Apollo, Relay or GraphQL Code Generator manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="mizan",
            help="mizan (default), apollo (apollo-persisted-query-manifest), relay or "
            'codegen ({"<sha256>": "<document>"}).',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = persisted_queries_json(options.get("format") or "mizan")
        except RegistrationError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(text, options.get("out"))
