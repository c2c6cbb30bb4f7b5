"""The generated files: rendering them, writing them, and checking a directory is current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .build import build_client
from .model import ClientModel
from .print_core import print_api, print_index, print_operations, print_types
from .print_forms import print_forms
from .print_react import print_channels, print_react

__all__ = ["RUNTIME_FILES", "render_client", "render_model", "stale_files", "write_client"]

RUNTIME = Path(__file__).with_name("runtime")
# Copied verbatim: the hand-written part of the client.
RUNTIME_FILES = ("runtime.ts", "live.ts", "react-runtime.ts", "forms-runtime.ts")
# What a generated directory holds; other files in it are left alone.
MANIFEST = "README.md"


def render_model(model: ClientModel) -> dict[str, str]:
    files = {name: (RUNTIME / name).read_text(encoding="utf-8") for name in RUNTIME_FILES}
    files.update(
        {
            "types.ts": print_types(model),
            "operations.ts": print_operations(model),
            "api.ts": print_api(model),
            "index.ts": print_index(model),
            "react.ts": print_react(model),
            "channels.ts": print_channels(model),
            "forms.ts": print_forms(model),
            MANIFEST: _readme(),
        }
    )
    return dict(sorted(files.items()))


def render_client(schema: Any) -> dict[str, str]:
    """File name -> content of the client for ``schema`` (deterministic)."""
    return render_model(build_client(schema))


def write_client(directory: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` into ``directory``; returns the names whose content changed."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale_files(directory, files)
    for name in changed:
        (directory / name).write_text(files[name], encoding="utf-8", newline="\n")
    return changed


def stale_files(directory: Path, files: dict[str, str]) -> list[str]:
    """The names of ``files`` that are missing from ``directory`` or differ there."""
    stale = []
    for name, content in files.items():
        path = directory / name
        try:
            current = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != content:
            stale.append(name)
    return stale


def _readme() -> str:
    return (
        "# Generated mizan_gql client\n\n"
        "Written by `python manage.py export_client --out <this directory>`; do not edit.\n"
        "Regenerate after changing server functions, contexts, forms or channels, and run\n"
        "`export_client --check` in CI. See docs/typescript-client.md of mizan_gql.\n\n"
        "- `index.ts`: the dependency-free client (functions, types, errors, configure()).\n"
        "- `react.ts`: context hooks and providers (peer dependency: react).\n"
        "- `channels.ts`: channel hooks over graphql-ws (peer dependencies: react, graphql-ws).\n"
        "- `forms.ts`: Zod schemas and form hooks (peer dependencies: react, zod).\n"
    )
