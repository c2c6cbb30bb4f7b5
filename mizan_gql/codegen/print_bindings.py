"""Printers of the optional bindings: documents.ts (typed documents) and tanstack.ts.

documents.ts exports every generated operation as a ``TypedDocumentNode`` (the parsed
document as a JSON literal, so no ``graphql`` runtime is needed) carrying the sha256 the
server knows it by; Apollo Client, urql, graphql-request and others take these directly.
tanstack.ts gives TanStack Query v5 options for every query, context and mutation.
"""

from __future__ import annotations

import enum
import json
from typing import Any

from graphql import Node, parse

from .build import CodegenError
from .model import ClientModel, ContextModel, OperationModel
from .print_core import HEADER, imports, js, picked_value, ts_name, value_type

__all__ = ["document_ast", "print_documents", "print_tanstack"]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# Lists graphql-js always gives (empty when absent); graphql-core gives None for these.
_LISTS = {"arguments", "directives", "variable_definitions"}


def _ast_value(value: Any) -> Any:
    if isinstance(value, Node):
        kind = "".join(part.capitalize() for part in value.kind.split("_"))
        node: dict[str, Any] = {"kind": kind}
        # Sorted: graphql-core releases list a node's keys in different orders, and the
        # generated file must not depend on the release.
        for key in sorted(value.keys):
            item = getattr(value, key, None)
            if item is None and key in _LISTS and kind != "FragmentDefinition":
                item = []
            if key != "loc" and item is not None:
                node[_camel(key)] = _ast_value(item)
        return node
    if isinstance(value, (list, tuple)):
        return [_ast_value(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value


def document_ast(document: str) -> dict[str, Any]:
    """``document`` parsed, as graphql-js's ``DocumentNode`` (kinds and keys as it names them)."""
    return _ast_value(parse(document, no_location=True))


def _variables(op: OperationModel) -> str:
    return f"T.{op.variables_type}" if op.variables_type else "Record<string, never>"


def print_documents(model: ClientModel) -> str:
    operations = [
        op
        for op in [*model.operations.values(), *model.context_operations.values()]
        if op.field != "mizanInvalidations"
    ]
    names = [f"{op.name}Document" for op in operations]
    if len(set(names)) != len(names):
        raise CodegenError("Two generated operations share a name; their documents would clash.")
    blocks = [
        HEADER
        + 'import type { TypedDocumentNode } from "@graphql-typed-document-node/core";\n'
        + ('import type * as T from "./types.js";\n' if operations else "")
        + "\n/**\n"
        + " * A generated operation as a DocumentNode typed with its result and variables, and\n"
        + " * the sha256 of the exact text the server knows it by (`__meta__.hash`, where GraphQL\n"
        + " * Code Generator's persisted documents carry it).\n"
        + " */\n"
        + "export type MizanDocument<Result, Variables> = "
        + "TypedDocumentNode<Result, Variables> & {\n"
        + "  readonly __meta__: { readonly hash: string; readonly operationName: string };\n"
        + "};"
    ]
    for op in sorted(operations, key=lambda o: o.name):
        literal = document_ast(op.document)
        literal["__meta__"] = {"hash": op.sha256, "operationName": op.name}
        text = json.dumps(literal, ensure_ascii=False, separators=(",", ":"))
        blocks.append(
            f"/** `{op.name}` (sha256 {op.sha256[:12]}…). */\n"
            f"export const {op.name}Document = {text} as unknown as MizanDocument<\n"
            f"  T.{op.result_type},\n"
            f"  {_variables(op)}\n"
            ">;"
        )
    return "\n\n".join(blocks) + "\n"


def print_tanstack(model: ClientModel) -> str:
    queries = [(f, op) for f, op in model.operations.items() if op.kind == "query"]
    mutations = [(f, op) for f, op in model.operations.items() if op.kind == "mutation"]
    functions = sorted(ts_name(f) for f, _ in [*queries, *mutations])
    runtime = [
        *(["defaultClient"] if model.contexts else []),
        *(["pythonParams"] if any(c.params for c in model.contexts) else []),
        *(["type MizanClient"] if queries or mutations or model.contexts else []),
        *(["type MizanError"] if mutations else []),
    ]
    query_names = [
        *(["queryOptions"] if queries or model.contexts else []),
        *(["type UseMutationOptions"] if mutations else []),
    ]
    header = (
        HEADER
        + "// TanStack Query (v5) options; import this file only if the project uses TanStack.\n"
        + imports("@tanstack/react-query", query_names)
        + imports("./api.js", functions)
        + imports(
            "./operations.js",
            [
                *(["CONTEXTS"] if model.contexts else []),
                *(["OPERATIONS"] if queries or mutations else []),
            ],
        )
        + imports("./runtime.js", runtime)
        + imports(
            "./tanstack-runtime.js",
            [
                *(["contextKey"] if model.contexts else []),
                *(["mutationKey"] if mutations else []),
                *(["queryKey"] if queries else []),
            ],
        )
        + ('import type * as T from "./types.js";\n' if functions or model.contexts else "")
        + "\nexport {\n"
        + "  connectQueryClient,\n"
        + "  contextKey,\n"
        + "  invalidateQueries,\n"
        + "  MIZAN_KEY,\n"
        + "  mutationKey,\n"
        + "  queryKey,\n"
        + "  useMizanQueryInvalidations,\n"
        + '} from "./tanstack-runtime.js";'
    )
    blocks = [header]
    blocks.extend(_query_options(field, op) for field, op in queries)
    blocks.extend(_context_options(context) for context in model.contexts)
    blocks.extend(_mutation_options(field, op) for field, op in mutations)
    return "\n\n".join(blocks) + "\n"


def _query_options(field: str, op: OperationModel) -> str:
    returns = f"T.{op.result_type}[{js(field)}]"
    if op.variables_type is None:
        params, key, call = "client?: MizanClient", "{}", "{ signal, client }"
    else:
        optional = "" if op.variables_required else " = {}"
        params = f"variables: T.{op.variables_type}{optional}, client?: MizanClient"
        key, call = "variables", "variables, { signal, client }"
    return (
        f"/** {field} for useQuery(): key [{js('mizan')}, {js('query')}, {js(op.name)}, "
        "variables]. */\n"
        f"export function {field}QueryOptions({params}) {{\n"
        "  return queryOptions({\n"
        f"    queryKey: queryKey(OPERATIONS[{js(field)}], {key}),\n"
        f"    queryFn: ({{ signal }}): Promise<{returns}> => {ts_name(field)}({call}),\n"
        "  });\n"
        "}"
    )


def _context_options(context: ContextModel) -> str:
    spec = f"CONTEXTS[{js(context.name)}]"
    returns = value_type(context)
    pick = picked_value(context)
    camel = context.pascal[:1].lower() + context.pascal[1:]
    if context.params:
        params = f"variables: T.{context.operation.variables_type}, client?: MizanClient"
        python = f"pythonParams({spec}, variables)"
    else:
        params, python = "client?: MizanClient", "{}"
    return (
        f"/**\n * The context {js(context.name)} for useQuery(): key [{js('mizan')}, "
        f"{js('context')}, {js(context.name)}, params].\n"
        " * Never stale by time: the server's invalidations (see connectQueryClient) say when.\n"
        " */\n"
        f"export function {camel}ContextOptions({params}) {{\n"
        f"  const params = {python};\n"
        "  return queryOptions({\n"
        f"    queryKey: contextKey({spec}, params),\n"
        f"    queryFn: async (): Promise<{returns}> => {{\n"
        f"      const data = await (client ?? defaultClient()).contexts.query({spec}, params);\n"
        f"      return {pick};\n"
        "    },\n"
        "    staleTime: Number.POSITIVE_INFINITY,\n"
        "  });\n"
        "}"
    )


def _mutation_options(field: str, op: OperationModel) -> str:
    returns = f"T.{op.result_type}[{js(field)}]"
    if op.variables_type is None:
        variables, fn = "void", f"() => {ts_name(field)}({{ client }})"
    else:
        variables = f"T.{op.variables_type}"
        fn = f"(variables: {variables}) => {ts_name(field)}(variables, {{ client }})"
    return (
        f"/** {field} for useMutation(); its invalidations reach connected QueryClients. */\n"
        f"export function {field}MutationOptions(\n"
        "  client?: MizanClient,\n"
        f"): UseMutationOptions<{returns}, MizanError, {variables}> {{\n"
        "  return {\n"
        f"    mutationKey: mutationKey(OPERATIONS[{js(field)}]),\n"
        f"    mutationFn: {fn},\n"
        "  };\n"
        "}"
    )
