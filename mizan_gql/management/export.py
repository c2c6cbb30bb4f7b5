"""The shape every ``export_*`` command shares: ``--out FILE`` (stdout by default)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser


class ExportCommand(BaseCommand):
    """A command that prints one deterministic text, or writes it to ``--out``."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="Write to this file instead of stdout.")

    def emit(self, text: str, out: str | None) -> None:
        if not out:
            self.stdout.write(text, ending="")
            return
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stderr.write(f"Wrote {out}")
