"""The generated files: rendering them, writing them, and checking a directory is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .build import build_client
from .model import ClientModel
from .print_bindings import print_documents, print_tanstack
from .print_core import print_api, print_index, print_operations, print_types
from .print_forms import print_forms
from .print_react import print_channels, print_react

__all__ = [
    "OPTIONAL_BINDINGS",
    "RUNTIME_FILES",
    "render_client",
    "render_model",
    "stale_files",
    "write_client",
]

RUNTIME = Path(__file__).with_name("runtime")
# Copied verbatim: the hand-written part of the client.
RUNTIME_FILES = (
    "runtime.ts",
    "live.ts",
    "react-client.ts",
    "react-runtime.ts",
    "forms-runtime.ts",
    "tanstack-runtime.ts",
)
# What a generated directory holds; other files in it are left alone.
MANIFEST = "README.md"
# Bindings a project may leave out (`export_client --skip`): each needs its own npm package,
# and a project that compiles the whole directory without that package would fail.
OPTIONAL_BINDINGS = {
    "documents": ("documents.ts",),
    "tanstack": ("tanstack.ts", "tanstack-runtime.ts"),
}


def render_model(model: ClientModel, skip: frozenset[str] = frozenset()) -> dict[str, str]:
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
            "documents.ts": print_documents(model),
            "tanstack.ts": print_tanstack(model),
            MANIFEST: _readme(),
            "package.json": _package_json(skip),
        }
    )
    for binding in skip:
        for name in OPTIONAL_BINDINGS[binding]:
            del files[name]
    return dict(sorted(files.items()))


def render_client(schema: Any, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """File name -> content of the client for ``schema`` (deterministic), without the
    bindings named in ``skip`` (keys of ``OPTIONAL_BINDINGS``)."""
    return render_model(build_client(schema), skip)


def write_client(directory: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` into ``directory``; returns the names whose content changed.

    A skipped binding's file left there by an earlier export is removed (only if it is a
    generated file), so that the directory compiles without that binding's package.
    """
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale_files(directory, files)
    for name in changed:
        (directory / name).write_text(files[name], encoding="utf-8", newline="\n")
    for names in OPTIONAL_BINDINGS.values():
        for name in names:
            path = directory / name
            if name not in files and path.is_file() and _generated(path):
                path.unlink()
    return changed


def _generated(path: Path) -> bool:
    """Whether ``path`` starts as the generated and copied files do (naming export_client)."""
    with path.open("rb") as file:
        return b"export_client" in file.read(200)


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


# What the generated code needs from its host project; nothing else is imported.
PEER_DEPENDENCIES = {
    "@graphql-typed-document-node/core": "^3.2",
    "@tanstack/react-query": "^5",
    "graphql-ws": ">=6",
    "react": ">=18",
    "zod": "^3.23 || ^4",
}
# The peer dependency only an optional binding needs.
BINDING_PACKAGES = {
    "documents": "@graphql-typed-document-node/core",
    "tanstack": "@tanstack/react-query",
}


def _package_json(skip: frozenset[str]) -> str:
    """Makes the directory usable as a local package (``"file:"`` / workspace dependency)."""
    entry_points = {
        ".": "./index.ts",
        "./react": "./react.ts",
        "./channels": "./channels.ts",
        "./forms": "./forms.ts",
        **{
            f"./{binding}": f"./{binding}.ts"
            for binding in OPTIONAL_BINDINGS
            if binding not in skip
        },
    }
    left_out = {BINDING_PACKAGES[binding] for binding in skip}
    peers = {name: spec for name, spec in PEER_DEPENDENCIES.items() if name not in left_out}
    data = {
        "name": "mizan-gql-client",
        "private": True,
        "description": "Generated by `manage.py export_client`; do not edit.",
        "type": "module",
        "exports": entry_points,
        "peerDependencies": peers,
        # Each binding needs only its own: a project without forms need not install zod.
        "peerDependenciesMeta": {name: {"optional": True} for name in peers},
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def _readme() -> str:
    return (
        "# Generated mizan_gql client\n\n"
        "Written by `python manage.py export_client --out <this directory>`; do not edit.\n"
        "Regenerate after changing server functions, contexts, forms or channels, and run\n"
        "`export_client --check` in CI. See docs/typescript-client.md of mizan_gql.\n\n"
        "- `index.ts`: the dependency-free client (createMizanClient(), functions, types, "
        "errors).\n"
        "- `react.ts`: <MizanProvider>, context hooks and providers, query and mutation hooks\n"
        "  (peer dependencies: react, graphql-ws).\n"
        "- `channels.ts`: channel hooks over graphql-ws (peer dependencies: react, graphql-ws).\n"
        "- `forms.ts`: Zod schemas and form hooks (peer dependencies: react, zod).\n"
        "- `documents.ts`: every operation as a TypedDocumentNode with its sha256, for Apollo\n"
        "  Client, urql, graphql-request (peer dependency, types only:\n"
        "  @graphql-typed-document-node/core).\n"
        "- `tanstack.ts`: TanStack Query v5 options and invalidations (peer dependencies:\n"
        "  @tanstack/react-query, react, graphql-ws).\n"
        "- `package.json`: the peer dependencies, and entry points for use as a local package.\n"
    )
