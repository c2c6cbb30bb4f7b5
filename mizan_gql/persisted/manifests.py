"""Reading the manifests of ``MIZAN["TRUSTED_DOCUMENTS"]``: documents other tools wrote.

Four formats, told apart by their shape:

* Apollo's persisted-query manifest (``@apollo/generate-persisted-query-manifest``)::

      {"format": "apollo-persisted-query-manifest", "version": 1,
       "operations": [{"id": "<sha256>", "name": "Echo", "type": "query", "body": "..."}]}

* GraphQL Code Generator's client preset (``persistedDocuments: true``) and Relay's
  compiler (``persistConfig``) both write an object of ``{"<id>": "<document>"}``;
* mizan's own export (``manage.py export_persisted_queries``).

Each document keeps the id its tool gave it (a client sends it as ``documentId``): Relay's
is an MD5 and the client preset's a SHA-1 by default, Apollo's a SHA-256 unless the
project chose another.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from ..conf import mizan_settings

__all__ = ["APOLLO_FORMAT", "Manifest", "ManifestDocument", "manifest_paths", "read_manifest"]

APOLLO_FORMAT = "apollo-persisted-query-manifest"


@dataclass(frozen=True)
class ManifestDocument:
    """One document of a manifest: its text, the id its tool gave it, its name if known."""

    text: str
    id: str | None = None
    name: str | None = None


@dataclass
class Manifest:
    """The documents of one file, and what is wrong with it (``manage.py check`` says)."""

    path: Path
    format: str = "unknown"
    documents: list[ManifestDocument] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def manifest_paths() -> list[Path]:
    """``MIZAN["TRUSTED_DOCUMENTS"]`` as paths; relative ones start at ``BASE_DIR``."""
    value = mizan_settings.TRUSTED_DOCUMENTS
    entries = [value] if isinstance(value, (str, os.PathLike)) else list(value or ())
    base = Path(getattr(settings, "BASE_DIR", None) or Path.cwd())
    return [base / Path(entry) for entry in entries if isinstance(entry, (str, os.PathLike))]


def read_manifest(path: Path) -> Manifest:
    """The documents of the manifest at ``path`` (problems instead of exceptions)."""
    manifest = Manifest(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        manifest.problems.append(f"cannot be read ({exc.strerror or exc})")
        return manifest
    except ValueError as exc:
        manifest.problems.append(f"is not JSON ({exc})")
        return manifest
    if isinstance(data, dict) and data.get("format") == APOLLO_FORMAT:
        manifest.format = "apollo"
        _read_apollo(data, manifest)
    elif isinstance(data, dict) and isinstance(data.get("operations"), dict):
        manifest.format = "mizan"
        _read_mizan(data, manifest)
    elif isinstance(data, dict) and all(isinstance(v, str) for v in data.values()):
        manifest.format = "key-value"
        manifest.documents = [ManifestDocument(text, id=key) for key, text in data.items()]
    else:
        manifest.problems.append(
            "is in none of the known formats (Apollo's persisted-query manifest, "
            'GraphQL Code Generator\'s or Relay\'s {"<id>": "<document>"}, or mizan\'s '
            "export_persisted_queries)"
        )
    return manifest


def _read_apollo(data: dict[str, Any], manifest: Manifest) -> None:
    if data.get("version") != 1:
        manifest.problems.append(f"has version {data.get('version')!r} (only 1 is known)")
        return
    operations = data.get("operations")
    if not isinstance(operations, list):
        manifest.problems.append('has no "operations" list')
        return
    for index, operation in enumerate(operations):
        body = operation.get("body") if isinstance(operation, dict) else None
        if not isinstance(body, str):
            manifest.problems.append(f'operations[{index}] has no "body" text')
            continue
        identifier, name = operation.get("id"), operation.get("name")
        manifest.documents.append(
            ManifestDocument(
                body,
                id=identifier if isinstance(identifier, str) else None,
                name=name if isinstance(name, str) else None,
            )
        )


def _read_mizan(data: dict[str, Any], manifest: Manifest) -> None:
    for group in ("operations", "contexts"):
        entries = data.get(group) or {}
        if not isinstance(entries, dict):
            manifest.problems.append(f'"{group}" is not an object')
            continue
        for key, entry in entries.items():
            text = entry.get("document") if isinstance(entry, dict) else None
            if not isinstance(text, str):
                manifest.problems.append(f'{group}["{key}"] has no "document" text')
                continue
            name = entry.get("name")
            manifest.documents.append(
                ManifestDocument(text, name=name if isinstance(name, str) else None)
            )
