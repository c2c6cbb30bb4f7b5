"""The persisted queries as a feature plugin: the first extension of every operation."""

from ..plugins import Plugin
from .checks import check_apq_eviction, check_apq_store_deploy, check_trusted_documents
from .extension import PersistedQueries

__all__ = ["PERSISTED_QUERIES"]

# APQ, trusted mode and the document cache (which also finds prepared queries). First, so
# that a persisted-query refusal happens before any other extension starts.
PERSISTED_QUERIES = Plugin(
    name="persisted queries",
    order=10,
    extensions=[PersistedQueries],
    checks=[check_apq_eviction, check_trusted_documents],
    deploy_checks=[check_apq_store_deploy],
)
