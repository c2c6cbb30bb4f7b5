"""The edge: manifest, reference resolver, purgers, the purge task and Varnish configuration
(docs/edge.md)."""

from .cloudflare import CloudflarePurger
from .fastly import FastlyPurger
from .handoff import site_manifest, wait_for_purges
from .manifest import generate_edge_manifest, manifest_json, tag_templates
from .middleware import EdgePurgeMiddleware, purge
from .purge_api import PurgeError
from .purgers import BasePurger, LoggingPurger, get_purgers, load_purger
from .resolver import Resolution, expand_view, resolve
from .varnish import VarnishPurger
from .vcl import generate_vcl

__all__ = [
    "BasePurger",
    "CloudflarePurger",
    "EdgePurgeMiddleware",
    "FastlyPurger",
    "LoggingPurger",
    "PurgeError",
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
    "wait_for_purges",
]
