"""The engine adapter: everything that reaches into Strawberry, graphql-core and Django.

mizan_gql builds on Strawberry's public API; where it needs more (a faster extension
runner, executors freed without the garbage collector, prepared queries, results shared
between subscribers, codegen names as on the wire, the reason of a CSRF failure) the code
lives in this package, and every private or internal name it uses is listed in
:data:`private.PRIVATE_NAMES`, guarded by a test. Nothing outside this package uses a
private name of a dependency.
"""

from .executors import QueryExecutor, ReleasedAfterResponse
from .prepared import PreparedDocument, PreparedQuery, execute_prepared, prepared_plan
from .private import PRIVATE_NAMES, PrivateName, csrf_failure_reason, graphql_schema
from .runner import FastExtensionsRunner
from .schema import MizanSchema
from .sharing import SharedEventExecutor, extensions_allow_sharing, share, shareable

__all__ = [
    "PRIVATE_NAMES",
    "FastExtensionsRunner",
    "MizanSchema",
    "PreparedDocument",
    "PreparedQuery",
    "PrivateName",
    "QueryExecutor",
    "ReleasedAfterResponse",
    "SharedEventExecutor",
    "csrf_failure_reason",
    "execute_prepared",
    "extensions_allow_sharing",
    "graphql_schema",
    "prepared_plan",
    "share",
    "shareable",
]
