"""The generated TypeScript client: data model -> printers -> files (``manage.py export_client``).

Built on Strawberry's codegen (``strawberry.codegen.QueryCodegen`` and its TypeScript plugin)
run over mizan's generated persisted operations. See docs/typescript-client.md.
"""

from .build import CodegenError, build_client
from .model import ClientModel
from .writer import render_client, render_model, stale_files, write_client

__all__ = [
    "ClientModel",
    "CodegenError",
    "build_client",
    "render_client",
    "render_model",
    "stale_files",
    "write_client",
]
