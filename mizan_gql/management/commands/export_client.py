"""``manage.py export_client --out DIR [--check] [--skip BINDING]``: the typed TypeScript client.

Writes the generated client (see docs/typescript-client.md) into ``DIR``; the output is
deterministic, so it can be committed. ``--check`` writes nothing and fails (CommandError,
exit status 1) when ``DIR`` is missing a file or holds a different one (for CI). Without
``--out`` the files are printed to stdout, each after a ``// ==> name <==`` line.
``--skip documents`` / ``--skip tanstack`` leave out a binding whose npm package the project
does not install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...codegen import render_client, stale_files, write_client
from ...codegen.writer import OPTIONAL_BINDINGS
from ...exceptions import MizanError
from ...schema import get_schema


class Command(BaseCommand):
    help = "Generate the typed TypeScript client (functions, React hooks, Zod form schemas)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="The directory to write the client into.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with status 1 if --out is not up to date.",
        )
        parser.add_argument(
            "--skip",
            action="append",
            choices=sorted(OPTIONAL_BINDINGS),
            default=[],
            help="Leave out a binding (repeatable): documents.ts needs "
            "@graphql-typed-document-node/core, tanstack.ts @tanstack/react-query.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out, check = options.get("out"), options.get("check")
        if check and not out:
            raise CommandError("--check needs --out DIR: the directory to compare with.")
        try:
            files = render_client(get_schema(), frozenset(options.get("skip") or ()))
        except MizanError as exc:
            raise CommandError(
                f"{exc}\nRun `manage.py check` for every problem with its hint."
            ) from exc
        if not out:
            for name, content in files.items():
                self.stdout.write(f"// ==> {name} <==\n{content}", ending="")
            return
        directory = Path(out)
        if check:
            stale = stale_files(directory, files)
            if stale:
                raise CommandError(
                    f"{directory} is out of date ({', '.join(stale)}): run "
                    f"`manage.py export_client --out {out}`.",
                    returncode=1,
                )
            self.stderr.write(f"{directory} is up to date.")
            return
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"--out {out} is a file; give a directory.")
        try:
            changed = write_client(directory, files)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc}") from exc
        self.stderr.write(f"Wrote {len(changed)} of {len(files)} files in {directory}")
