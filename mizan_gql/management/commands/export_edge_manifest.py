"""``manage.py export_edge_manifest``: the edge manifest as JSON, or a Varnish VCL.

    manage.py export_edge_manifest --out edge.json --base-url https://example.com
    manage.py export_edge_manifest --format vcl --backend 127.0.0.1:8000 --out mizan.vcl

The output is deterministic (sorted keys, no timestamps or paths), so it can be committed and
diffed in review. See docs/edge.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import CommandError, CommandParser

from ...edge import generate_edge_manifest, generate_vcl, manifest_json
from ...exceptions import MizanError
from ..export import ExportCommand


class Command(ExportCommand):
    help = "Write the edge manifest (contexts, URLs, tags, cache policy) as JSON or as VCL."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--base-url",
            help="Origin prepended to every URL, e.g. https://example.com "
            "(default: MIZAN['EDGE_BASE_URL']).",
        )
        parser.add_argument(
            "--format",
            choices=("json", "vcl"),
            default="json",
            help="json: the manifest (default); vcl: a Varnish configuration for the site.",
        )
        parser.add_argument(
            "--backend",
            default="127.0.0.1:8000",
            help="VCL only: host:port of the Django server Varnish forwards to.",
        )
        parser.add_argument(
            "--purge-acl",
            action="append",
            help="VCL only: an address or network allowed to PURGE (repeatable; "
            "default 127.0.0.1 and ::1).",
        )
        parser.add_argument(
            "--no-purge-on-response",
            action="store_true",
            help="VCL only: do not purge on X-Mizan-Invalidate answered by the origin "
            "(when a purger in MIZAN['EDGE_PURGERS'] does it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = options.get("base_url")
        parts = urlsplit(base_url or "")
        if base_url and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise CommandError(
                f"--base-url {base_url!r} is not an absolute origin; write e.g. https://example.com"
            )
        try:
            manifest = generate_edge_manifest(base_url=base_url)
            if options["format"] == "vcl":
                text = generate_vcl(
                    manifest,
                    backend=options["backend"],
                    purge_acl=options.get("purge_acl") or ("127.0.0.1", "::1"),
                    purge_on_response=not options["no_purge_on_response"],
                )
            else:
                text = manifest_json(manifest)
        except (MizanError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.emit(text, options.get("out"))
