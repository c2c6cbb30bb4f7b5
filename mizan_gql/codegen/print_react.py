"""Printers of the React bindings: react.ts (contexts) and channels.ts (subscriptions)."""

from __future__ import annotations

from .build import CodegenError
from .model import ClientModel, OperationModel
from .print_core import HEADER, imports, js, select_expression, value_type

__all__ = ["print_channels", "print_react"]


def _hooked(model: ClientModel) -> list[tuple[str, OperationModel]]:
    """The plain queries (not a context's) and the mutations: each gets a hook."""
    in_contexts = {field for context in model.contexts for field in context.fields}
    return [
        (field, op)
        for field, op in model.operations.items()
        if (op.kind == "query" and field not in in_contexts) or op.kind == "mutation"
    ]


def print_react(model: ClientModel) -> str:
    with_params = any(c.params for c in model.contexts)
    without_params = any(not c.params for c in model.contexts)
    hooked = _hooked(model)
    queries = [item for item in hooked if item[1].kind == "query"]
    mutations = [item for item in hooked if item[1].kind == "mutation"]
    runtime = [
        *(["contextProvider"] if with_params else []),
        *(["useContextValue", "type ContextResult"] if model.contexts else []),
        *(["useMutationResult", "type MutationResult"] if mutations else []),
        *(["useQueryResult", "type QueryOptions", "type QueryResult"] if queries else []),
    ]
    _check_hooks(model, hooked)
    header = (
        HEADER
        + imports(
            "./operations.js",
            [*(["CONTEXTS"] if model.contexts else []), *(["OPERATIONS"] if hooked else [])],
        )
        + imports("./react-runtime.js", runtime)
        + ('import type * as T from "./types.js";\n' if model.contexts or hooked else "")
        + '\nexport { MizanProvider, useMizanClient } from "./react-client.js";\n'
        + "export type {\n"
        + "  ContextResult,\n"
        + "  MutationResult,\n"
        + "  QueryOptions,\n"
        + "  QueryResult,\n"
        + '} from "./react-runtime.js";'
        + ("\n\nconst NO_PARAMS: Record<string, unknown> = {};" if without_params else "")
        + (
            "\n\nconst NO_VARIABLES: Record<string, unknown> = {};"
            if any(op.variables_type is None for _, op in queries)
            else ""
        )
    )
    blocks = [header]
    for context in model.contexts:
        spec = f"CONTEXTS[{js(context.name)}]"
        value = value_type(context)
        select = f"select{context.pascal}"
        block = f"const {select} = {select_expression(context)};\n\n"
        if not context.params:
            block += (
                f"/** The {context.kind} context {js(context.name)}: hydrated by "
                "{% mizan_hydrate %} when the page embeds it, else fetched; refetched when "
                "invalidated. */\n"
                f"export function use{context.pascal}(): ContextResult<{value}> {{\n"
                f"  return useContextValue({spec}, NO_PARAMS, {select});\n"
                "}"
            )
        else:
            variables = f"T.{context.operation.variables_type}"
            binding = f"{context.pascal[:1].lower()}{context.pascal[1:]}Binding"
            block += (
                f"const {binding} = contextProvider<{variables}, {value}>(\n"
                f"  {spec},\n"
                f"  {select},\n"
                f'  "{context.pascal}Provider",\n'
                ");\n\n"
                f"/** Fetches the {context.kind} context {js(context.name)} for its props "
                f"(hydrated values first) and gives it to use{context.pascal}() below it. */\n"
                f"export const {context.pascal}Provider = {binding}.Provider;\n\n"
                f"/** The value of the nearest <{context.pascal}Provider>. */\n"
                f"export const use{context.pascal} = {binding}.use;\n\n"
                f"/** The context {js(context.name)} without a provider. */\n"
                f"export function use{context.pascal}Context(variables: {variables}): "
                f"ContextResult<{value}> {{\n"
                f"  return useContextValue({spec}, variables, {select});\n"
                "}"
            )
        blocks.append(block)
    # Form data (passwords, addresses) must not end up in URLs: validation is POSTed.
    post_queries = {form.validate_field for form in model.forms}
    blocks.extend(_query_hook(field, op, field in post_queries) for field, op in queries)
    blocks.extend(_mutation_hook(field, op) for field, op in mutations)
    return "\n\n".join(blocks) + "\n"


def _hook_name(field: str, op: OperationModel) -> str:
    return f"use{field[:1].upper()}{field[1:]}{'Query' if op.kind == 'query' else 'Mutation'}"


def _check_hooks(model: ClientModel, hooked: list[tuple[str, OperationModel]]) -> None:
    taken = {f"use{c.pascal}" for c in model.contexts} | {
        f"use{c.pascal}Context" for c in model.contexts
    }
    for field, op in hooked:
        name = _hook_name(field, op)
        if name in taken:
            raise CodegenError(
                f"The hook of {field!r} would be named {name!r}, like a context's hook; rename "
                "the function or the context."
            )
        taken.add(name)


POST_OPTIONS = '{ method: "POST", ...options }'


def _query_hook(field: str, op: OperationModel, post: bool) -> str:
    returns = f"T.{op.result_type}[{js(field)}]"
    if op.variables_type is None:
        params, passed = "options?: QueryOptions", "NO_VARIABLES"
    elif op.variables_required:
        params, passed = f"variables: T.{op.variables_type}, options?: QueryOptions", "variables"
    else:
        params = f"variables: T.{op.variables_type} = {{}}, options?: QueryOptions"
        passed = "variables"
    return (
        f"/** Runs {field} through the provider's client (again when the variables change). */\n"
        f"export function {_hook_name(field, op)}({params}): QueryResult<{returns}> {{\n"
        f"  return useQueryResult<{returns}>(OPERATIONS[{js(field)}], {js(field)}, {passed}, "
        f"{POST_OPTIONS if post else 'options'});\n"
        "}"
    )


def _mutation_hook(field: str, op: OperationModel) -> str:
    returns = f"T.{op.result_type}[{js(field)}]"
    variables = f"T.{op.variables_type}" if op.variables_type else "void"
    return (
        f"/** {field} through the provider's client: `mutate(variables)`, its state. */\n"
        f"export function {_hook_name(field, op)}(): MutationResult<{variables}, {returns}> {{\n"
        f"  return useMutationResult<{variables}, {returns}>(OPERATIONS[{js(field)}], "
        f"{js(field)});\n"
        "}"
    )


def print_channels(model: ClientModel) -> str:
    sends = sorted(c.send_field for c in model.channels if c.send_field)
    channels = bool(model.channels)
    no_variables = any(model.operations[c.field].variables_type is None for c in model.channels)
    header = (
        HEADER
        + imports("react", ["useCallback"] if sends else [])
        + imports("./api.js", sends)
        + imports("./live.js", ["subscribe", "type SubscriptionSink"] if channels else [])
        + imports("./operations.js", ["OPERATIONS"] if channels else [])
        + imports("./react-client.js", ["useMizanClient"] if sends else [])
        + imports("./runtime.js", ["type ClientOptions"] if channels else [])
        + imports(
            "./react-runtime.js",
            ["useChannelMessages", "type ChannelOptions", "type ChannelResult"] if channels else [],
        )
        + ('import type * as T from "./types.js";\n' if channels else "")
        + '\nexport { closeWebSocket, holdLiveInvalidations, wsClient } from "./live.js";\n'
        + 'export type { ChannelOptions, ChannelResult } from "./react-runtime.js";'
        + ("\n\nconst NO_VARIABLES: Record<string, unknown> = {};" if no_variables else "")
    )
    blocks = [header]
    for channel in model.channels:
        op = model.operations[channel.field]
        message = f"{channel.pascal}Message"
        variables = f"T.{op.variables_type}" if op.variables_type else None
        sig = f"variables: {variables}, " if variables else ""
        passed = "variables" if variables else "NO_VARIABLES"
        block = (
            f"export type {message} = T.{op.result_type}[{js(channel.field)}];\n\n"
            f"/** Receive {channel.pascal} broadcasts (graphql-ws, reconnecting); returns "
            "the unsubscribe function. */\n"
            f"export function subscribe{channel.pascal}(\n"
            f"  {sig}sink: SubscriptionSink<{message}>,\n"
            "  options: ClientOptions = {},\n"
            "): () => void {\n"
            f"  return subscribe<{message}>(OPERATIONS[{js(channel.field)}], {passed}, sink, "
            "options);\n"
            "}\n\n"
        )
        if channel.send_field:
            send_op = model.operations[channel.send_field]
            react = f'T.{send_op.variables_type}["message"]'
            result = (
                f"ChannelResult<{message}> & {{ send: (message: {react}) => Promise<boolean> }}"
            )
            block += (
                f"/** The messages of {channel.pascal} for these parameters, and `send` "
                "(its ReactMessage, through the send mutation). */\n"
                f"export function use{channel.pascal}({sig}options?: ChannelOptions): {result} {{\n"
                f"  const result = useChannelMessages<{message}>(\n"
                f"    OPERATIONS[{js(channel.field)}],\n"
                f"    {passed},\n"
                "    options,\n"
                "  );\n"
                f"  const key = JSON.stringify({passed});\n"
                "  const client = useMizanClient();\n"
                "  const send = useCallback(\n"
                f"    (message: {react}) =>\n"
                f"      {channel.send_field}({{ ...(JSON.parse(key) as {variables or 'object'}), "
                "message }, { client }),\n"
                "    [client, key],\n"
                "  );\n"
                "  return { ...result, send };\n"
                "}"
            )
        else:
            block += (
                f"/** The messages of {channel.pascal} for these parameters. */\n"
                f"export function use{channel.pascal}({sig}options?: ChannelOptions): "
                f"ChannelResult<{message}> {{\n"
                f"  return useChannelMessages<{message}>(OPERATIONS[{js(channel.field)}], "
                f"{passed}, options);\n"
                "}"
            )
        blocks.append(block)
    return "\n\n".join(blocks) + "\n"
