"""The edge: manifest, reference resolver, purgers and Varnish configuration (docs/edge.md)."""

from .manifest import generate_edge_manifest, manifest_json, tag_templates
from .middleware import EdgePurgeMiddleware, purge, site_manifest
from .purgers import BasePurger, LoggingPurger, VarnishPurger, get_purgers, load_purger
from .resolver import Resolution, expand_view, resolve
from .vcl import generate_vcl

__all__ = [
    "BasePurger",
    "EdgePurgeMiddleware",
    "LoggingPurger",
    "Resolution",
    "VarnishPurger",
    "expand_view",
    "generate_edge_manifest",
    "generate_vcl",
    "get_purgers",
    "load_purger",
    "manifest_json",
    "purge",
    "resolve",
    "site_manifest",
    "tag_templates",
]
