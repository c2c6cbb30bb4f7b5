// The dependency-free core of the generated client: transport, errors, invalidation, contexts.
// Copied verbatim by `manage.py export_client`; do not edit the copy.

import { SERVER } from "./operations.js";

export type JSONValue =
  | string
  | number
  | boolean
  | null
  | JSONValue[]
  | { [key: string]: JSONValue };

export type Variables = Record<string, unknown>;

/** One generated operation: its document, the sha256 the server knows it by, its root field. */
export interface OperationSpec {
  readonly name: string;
  readonly kind: "query" | "mutation" | "subscription";
  readonly document: string;
  readonly sha256: string;
  readonly field: string | null;
}

/** How the client reaches the server; change it with `configure()`. */
export interface MizanConfig {
  /** The GraphQL endpoint (default: the path the server's URLconf gives, e.g. "/graphql"). */
  url: string;
  /** Prefix of the context endpoints, followed by `<context>/` (default "/graphql/ctx/"). */
  contextUrl: string;
  /** The WebSocket URL for subscriptions (default: `url` on the page's host, ws/wss). */
  wsUrl: string | null;
  /**
   * How subscriptions travel: "websocket" (graphql-transport-ws), "sse" (Server-Sent
   * Events, the graphql-sse protocol's distinct connections), or "auto" (the default):
   * the WebSocket, and SSE from then on when it cannot connect (no WebSocket in the
   * environment, or a proxy that refuses the upgrade).
   */
  transport: "auto" | "websocket" | "sse";
  /** The Server-Sent Events endpoint (default: `url` + "/stream", e.g. "/graphql/stream"). */
  sseUrl: string | null;
  /** The fetch implementation (default: the global fetch). */
  fetch: typeof fetch | null;
  /** Extra headers sent with every HTTP request. */
  headers: Record<string, string> | (() => Record<string, string>);
  /** fetch's `credentials` (default "same-origin", so the session cookie is sent). */
  credentials: RequestCredentials;
  /** Reads Django's CSRF token (default: the `csrftoken` cookie of `document.cookie`). */
  csrfToken: () => string | null | undefined;
  /** Send queries as persisted GETs (hash first, APQ fallback). Default true. */
  persisted: boolean;
  /** Refetch mounted contexts on `mizanInvalidations` events over WebSocket. Default true. */
  live: boolean;
  /** A WebSocket implementation for environments without a global one. */
  webSocketImpl: unknown;
  /** Hydration data to use instead of the `{% mizan_hydrate %}` script element. */
  hydration: HydrationData | null;
  /** Queries whose GET URL would exceed this length are POSTed instead. */
  maxGetUrlLength: number;
}

export interface HydrationData {
  contexts: Record<string, Record<string, unknown>>;
  params?: Record<string, Record<string, unknown>>;
}

function readCookie(name: string): string | null {
  if (typeof document === "undefined" || typeof document.cookie !== "string") return null;
  for (const part of document.cookie.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      return decodeURIComponent(part.slice(index + 1).trim());
    }
  }
  return null;
}

const config: MizanConfig = {
  url: SERVER.graphqlPath,
  contextUrl: SERVER.contextPath,
  wsUrl: null,
  transport: "auto",
  sseUrl: null,
  fetch: null,
  headers: {},
  credentials: "same-origin",
  csrfToken: () => readCookie(SERVER.csrfCookieName),
  persisted: true,
  live: true,
  webSocketImpl: undefined,
  hydration: null,
  maxGetUrlLength: 7000,
};

/** Change how the client reaches the server (call once, before the first request). */
export function configure(options: Partial<MizanConfig>): void {
  Object.assign(config, options);
  persistedSupported = true;
  hydrated = false;
  for (const listener of [...configureListeners]) listener();
}

const configureListeners = new Set<() => void>();

/** Be told when `configure()` changes the configuration (transports reconnect). */
export function onConfigure(listener: () => void): () => void {
  configureListeners.add(listener);
  return () => {
    configureListeners.delete(listener);
  };
}

export function getConfig(): Readonly<MizanConfig> {
  return config;
}

// -- errors -------------------------------------------------------------------------------

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "PERSISTED_QUERY_NOT_FOUND"
  | "PERSISTED_QUERY_NOT_SUPPORTED"
  | "INTERNAL_SERVER_ERROR"
  | "CSRF_FAILED"
  | "GRAPHQL_PARSE_FAILED"
  | "GRAPHQL_VALIDATION_FAILED"
  | "NETWORK_ERROR"
  | "HTTP_ERROR"
  | (string & {});

export interface FieldError {
  path: (string | number)[];
  message: string;
  type?: string;
}

export interface GraphQLErrorPayload {
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: { code?: string; fieldErrors?: FieldError[]; [key: string]: unknown };
}

/** An error from the server (its `extensions.code`) or from the transport. */
export class MizanError extends Error {
  readonly code: ErrorCode;
  readonly errors: GraphQLErrorPayload[];
  readonly status: number | null;
  readonly fieldErrors: FieldError[];
  readonly extensions: Record<string, unknown>;

  constructor(
    message: string,
    code: ErrorCode,
    errors: GraphQLErrorPayload[] = [],
    status: number | null = null,
  ) {
    super(message);
    this.name = "MizanError";
    this.code = code;
    this.errors = errors;
    this.status = status;
    const first = errors[0]?.extensions ?? {};
    this.extensions = first;
    this.fieldErrors = Array.isArray(first.fieldErrors) ? first.fieldErrors : [];
  }

  static fromErrors(errors: GraphQLErrorPayload[], status: number | null): MizanError {
    const first = errors[0];
    const code = typeof first?.extensions?.code === "string" ? first.extensions.code : "HTTP_ERROR";
    return new MizanError(first?.message ?? "Request failed", code, errors, status);
  }
}

// -- invalidation -------------------------------------------------------------------------

/** One `X-Mizan-Invalidate` entry: a context, narrowed to parameter values (text) if any. */
export interface Invalidation {
  context: string;
  params: Record<string, string>;
}

/** Parse an `X-Mizan-Invalidate` value (`user;user_id=5, current_user`). Bad entries are dropped. */
export function parseInvalidations(header: string | null | undefined): Invalidation[] {
  const entries: Invalidation[] = [];
  if (!header) return entries;
  for (const raw of header.split(",")) {
    const text = raw.trim();
    if (!text) continue;
    try {
      const [contextText, ...pairs] = text.split(";");
      const params: Record<string, string> = {};
      for (const pair of pairs) {
        const index = pair.indexOf("=");
        if (index < 1) throw new Error("bad pair");
        params[decodeURIComponent(pair.slice(0, index))] = decodeURIComponent(pair.slice(index + 1));
      }
      const context = decodeURIComponent(contextText ?? "");
      if (context) entries.push({ context, params });
    } catch {
      // A malformed entry cannot name what to refresh: ignore it.
    }
  }
  return entries;
}

type InvalidationListener = (entries: Invalidation[]) => void;
const invalidationListeners = new Set<InvalidationListener>();

/** Be told about every invalidation the client learns of (headers, extensions, WebSocket). */
export function onInvalidate(listener: InvalidationListener): () => void {
  invalidationListeners.add(listener);
  return () => {
    invalidationListeners.delete(listener);
  };
}

/** Refresh the contexts named by `entries` (mounted ones refetch, others are dropped). */
export function invalidate(entries: Invalidation[]): void {
  if (entries.length === 0) return;
  contexts.invalidate(entries);
  for (const listener of [...invalidationListeners]) listener(entries);
}

function invalidationsOf(response: Response | null, body: unknown): Invalidation[] {
  const entries = parseInvalidations(response?.headers.get("X-Mizan-Invalidate"));
  const listed = (body as { extensions?: { mizan?: { invalidate?: unknown } } } | null)?.extensions
    ?.mizan?.invalidate;
  if (Array.isArray(listed)) {
    for (const item of listed) {
      if (typeof item === "string") entries.push(...parseInvalidations(item));
    }
  }
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = entryKey(entry.context, entry.params);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// -- transport ----------------------------------------------------------------------------

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** fetch's cache mode (contexts use "no-cache" to revalidate after an invalidation). */
  cache?: RequestCache;
  /** "POST" keeps a query's variables out of URLs, logs and caches (form validation does). */
  method?: "GET" | "POST";
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorPayload[];
  extensions?: Record<string, unknown>;
}

let persistedSupported = true;

function baseHeaders(extra?: Record<string, string>): Record<string, string> {
  const configured = typeof config.headers === "function" ? config.headers() : config.headers;
  return { Accept: "application/json", ...configured, ...extra };
}

async function send(url: string, init: RequestInit): Promise<{ response: Response; body: unknown }> {
  const doFetch = config.fetch ?? (typeof fetch === "function" ? fetch : null);
  if (doFetch === null) throw new MizanError("No fetch implementation available", "NETWORK_ERROR");
  let response: Response;
  try {
    response = await doFetch(url, { credentials: config.credentials, ...init });
  } catch (error) {
    if ((error as { name?: string } | null)?.name === "AbortError") throw error;
    throw new MizanError(`Network error: ${String(error)}`, "NETWORK_ERROR");
  }
  let body: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new MizanError(`HTTP ${response.status}: not a JSON response`, "HTTP_ERROR", [], response.status);
    }
  }
  return { response, body };
}

/** A RequestInit without undefined members (`exactOptionalPropertyTypes` projects). */
function requestInit(
  method: string,
  headers: Record<string, string>,
  options: RequestOptions,
  body?: BodyInit,
): RequestInit {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  if (options.signal !== undefined) init.signal = options.signal;
  if (options.cache !== undefined) init.cache = options.cache;
  return init;
}

function hasCode(body: GraphQLResponse | null, code: string): boolean {
  return (body?.errors ?? []).some((error) => error.extensions?.code === code);
}

function absolute(url: string): URL {
  const base =
    typeof location !== "undefined" && typeof location.href === "string"
      ? location.href
      : "http://localhost/";
  return new URL(url, base);
}

function getUrl(op: OperationSpec, variables: Variables): string {
  const url = absolute(config.url);
  url.searchParams.set("operationName", op.name);
  if (Object.keys(variables).length > 0) url.searchParams.set("variables", JSON.stringify(variables));
  url.searchParams.set(
    "extensions",
    JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.sha256 } }),
  );
  return url.toString();
}

async function post(
  op: OperationSpec,
  variables: Variables,
  options: RequestOptions,
  persisted: boolean,
): Promise<{ response: Response; body: unknown }> {
  const payload: Record<string, unknown> = { query: op.document, operationName: op.name, variables };
  if (persisted) payload.extensions = { persistedQuery: { version: 1, sha256Hash: op.sha256 } };
  const files = new Map<Blob, string[]>();
  const plain = extractFiles(variables, "variables", files);
  const headers = baseHeaders(options.headers);
  const token = config.csrfToken();
  if (token) headers[SERVER.csrfHeaderName] = token;
  let body: BodyInit;
  if (files.size === 0) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(payload);
  } else {
    // The GraphQL multipart request spec; the header proves it is no cross-site form post.
    headers["Apollo-Require-Preflight"] = "true";
    const form = new FormData();
    form.append("operations", JSON.stringify({ ...payload, variables: plain }));
    const map: Record<string, string[]> = {};
    [...files.values()].forEach((paths, index) => {
      map[String(index)] = paths;
    });
    form.append("map", JSON.stringify(map));
    [...files.keys()].forEach((file, index) => {
      form.append(String(index), file, (file as { name?: string }).name ?? "blob");
    });
    body = form;
  }
  return send(config.url, requestInit("POST", headers, options, body));
}

/** A copy of `value` with every Blob (File) replaced by null; their paths go to `files`. */
function extractFiles(value: unknown, path: string, files: Map<Blob, string[]>): unknown {
  if (typeof Blob !== "undefined" && value instanceof Blob) {
    const paths = files.get(value) ?? [];
    paths.push(path);
    files.set(value, paths);
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => extractFiles(item, `${path}.${i}`, files));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = extractFiles(item, `${path}.${key}`, files);
    return copy;
  }
  return value;
}

function result(op: OperationSpec, response: Response, body: unknown): Record<string, unknown> {
  invalidate(invalidationsOf(response, body));
  const parsed = body as GraphQLResponse | null;
  if (parsed === null || typeof parsed !== "object") {
    throw new MizanError(`HTTP ${response.status}: empty response`, "HTTP_ERROR", [], response.status);
  }
  if (parsed.errors && parsed.errors.length > 0) {
    throw MizanError.fromErrors(parsed.errors, response.status);
  }
  if (!response.ok || parsed.data == null) {
    throw new MizanError(`HTTP ${response.status} for ${op.name}`, "HTTP_ERROR", [], response.status);
  }
  return parsed.data;
}

/**
 * Run a generated query: a GET carrying only the document's sha256 (cacheable by the browser
 * and CDNs), then, per Apollo's APQ protocol, the full document when the server answers
 * PersistedQueryNotFound, or plain POSTs once it answers PersistedQueryNotSupported.
 */
export async function runQuery(
  op: OperationSpec,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  if (config.persisted && persistedSupported && options.method !== "POST") {
    const url = getUrl(op, variables);
    if (url.length <= config.maxGetUrlLength) {
      const first = await send(url, requestInit("GET", baseHeaders(options.headers), options));
      const body = first.body as GraphQLResponse | null;
      if (hasCode(body, "PERSISTED_QUERY_NOT_SUPPORTED")) {
        persistedSupported = false;
      } else if (!hasCode(body, "PERSISTED_QUERY_NOT_FOUND")) {
        return result(op, first.response, first.body);
      }
    }
  }
  // Register the document with its hash (APQ), or send it plainly.
  const second = await post(op, variables, options, config.persisted && persistedSupported);
  const body = second.body as GraphQLResponse | null;
  if (hasCode(body, "PERSISTED_QUERY_NOT_SUPPORTED")) {
    persistedSupported = false;
    const plain = await post(op, variables, options, false);
    return result(op, plain.response, plain.body);
  }
  return result(op, second.response, second.body);
}

/**
 * Run a generated mutation: a POST with Django's CSRF token in the CSRF header. Variables
 * holding Blobs/Files (form file fields) go as a GraphQL multipart request.
 */
export async function runMutation(
  op: OperationSpec,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  const { response, body } = await post(op, variables, options, false);
  return result(op, response, body);
}

// -- contexts -----------------------------------------------------------------------------

/** A context as the generated code describes it. */
export interface ContextSpec {
  readonly name: string;
  readonly operation: OperationSpec;
  /** Python parameter name -> GraphQL argument name. */
  readonly params: Readonly<Record<string, string>>;
  /** Whether `GET <contextUrl><name>/?param=value` can carry every parameter. */
  readonly endpoint: boolean;
  /** The server's cache policy: a public context's entries are the same for everyone. */
  readonly cache: "public" | "private" | "none";
}

/** An entry the client holds, as `mizanInvalidations(holding: ...)` takes it. */
export interface HeldEntry {
  context: string;
  /** Python-named parameters; omitted: every entry of a public context. */
  params?: Record<string, unknown>;
}

/** The most entries one `mizanInvalidations` subscription may hold (the server's MAX_HELD). */
export const MAX_HELD = 1000;

export interface ContextState<T> {
  readonly data: T | undefined;
  readonly error: MizanError | undefined;
  readonly loading: boolean;
}

const EMPTY: ContextState<never> = Object.freeze({ data: undefined, error: undefined, loading: true });

/** A parameter value as the server writes it in X-Mizan-Invalidate and canonical URLs. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** Python-named parameter values -> the canonical query string (names sorted, lists repeated). */
export function canonicalQuery(params: Record<string, unknown>): string {
  const pairs = new URLSearchParams();
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) pairs.append(name, valueText(item));
  }
  return pairs.toString();
}

function entryKey(context: string, params: Record<string, unknown>): string {
  return `${context}?${canonicalQuery(params)}`;
}

interface ContextEntry {
  name: string;
  /** Null for a hydrated value no hook or loader has asked for yet. */
  spec: ContextSpec | null;
  params: Record<string, unknown>;
  state: ContextState<Record<string, unknown>>;
  listeners: Set<() => void>;
  generation: number;
  inflight: Promise<void> | null;
}

/** Every fetched context instance, keyed by context name and canonical parameters. */
class ContextStore {
  private entries = new Map<string, ContextEntry>();
  private heldListeners = new Set<() => void>();

  key(spec: ContextSpec, params: Record<string, unknown>): string {
    return entryKey(spec.name, params);
  }

  private entry(spec: ContextSpec, params: Record<string, unknown>): ContextEntry {
    hydrate();
    const key = this.key(spec, params);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = {
        name: spec.name,
        spec,
        params,
        state: EMPTY,
        listeners: new Set(),
        generation: 0,
        inflight: null,
      };
      this.entries.set(key, entry);
      this.heldChanged();
    }
    entry.spec ??= spec; // a hydrated entry, now claimed
    return entry;
  }

  /**
   * What the client holds, for the server to send only invalidations of it: a public
   * context by name (its entries are everyone's), any other entry by entry. Beyond
   * MAX_HELD entries the oldest unmounted ones are forgotten (fetched again when needed)
   * rather than left without invalidations.
   */
  held(): HeldEntry[] {
    const publicNames = new Set<string>();
    const own: ContextEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.spec?.cache === "public") publicNames.add(entry.name);
      else own.push(entry);
    }
    let excess = publicNames.size + own.length - MAX_HELD;
    const kept = own.filter((entry) => {
      if (excess <= 0 || entry.listeners.size > 0 || entry.inflight !== null) return true;
      excess--; // the oldest unmounted entries go first
      entry.generation++;
      this.entries.delete(entryKey(entry.name, entry.params));
      return false;
    });
    return [
      ...[...publicNames].map((context) => ({ context })),
      ...kept.map((entry) => ({ context: entry.name, params: entry.params })),
    ];
  }

  /** Call `listener` when the set of held entries may have changed. */
  onHeldChange(listener: () => void): () => void {
    this.heldListeners.add(listener);
    return () => {
      this.heldListeners.delete(listener);
    };
  }

  private heldChanged(): void {
    for (const listener of [...this.heldListeners]) listener();
  }

  snapshot(spec: ContextSpec, params: Record<string, unknown>): ContextState<Record<string, unknown>> {
    return this.entry(spec, params).state;
  }

  subscribe(spec: ContextSpec, params: Record<string, unknown>, listener: () => void): () => void {
    const entry = this.entry(spec, params);
    entry.listeners.add(listener);
    return () => {
      entry.listeners.delete(listener);
    };
  }

  seed(name: string, params: Record<string, unknown>, data: Record<string, unknown>): void {
    const key = entryKey(name, params);
    if (this.entries.get(key)?.state.data !== undefined) return;
    this.entries.set(key, {
      name,
      spec: null,
      params,
      state: { data, error: undefined, loading: false },
      listeners: new Set(),
      generation: 0,
      inflight: null,
    });
    this.heldChanged();
  }

  /** Fetch unless the value is there (hydrated or fetched) or on its way; retries a failure. */
  ensure(spec: ContextSpec, params: Record<string, unknown>): Promise<void> {
    const entry = this.entry(spec, params);
    if (entry.state.data !== undefined) return Promise.resolve();
    return entry.inflight ?? this.load(entry, false);
  }

  refetch(spec: ContextSpec, params: Record<string, unknown>): Promise<void> {
    return this.load(this.entry(spec, params), true);
  }

  async fetchValue(spec: ContextSpec, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.ensure(spec, params);
    const state = this.entry(spec, params).state;
    if (state.error) throw state.error;
    return state.data ?? {};
  }

  private load(entry: ContextEntry, revalidate: boolean): Promise<void> {
    const spec = entry.spec;
    if (spec === null) return Promise.resolve(); // nothing knows how to fetch it yet
    const generation = ++entry.generation;
    this.update(entry, { ...entry.state, loading: true });
    const run = fetchContext(spec, entry.params, revalidate).then(
      (data) => {
        if (generation === entry.generation) this.update(entry, { data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (generation !== entry.generation) return;
        const failure =
          error instanceof MizanError ? error : new MizanError(String(error), "NETWORK_ERROR");
        this.update(entry, { data: entry.state.data, error: failure, loading: false });
      },
    );
    entry.inflight = run.finally(() => {
      if (generation === entry.generation) entry.inflight = null;
    });
    return entry.inflight;
  }

  private update(entry: ContextEntry, state: ContextState<Record<string, unknown>>): void {
    entry.state = state;
    for (const listener of [...entry.listeners]) listener();
  }

  invalidate(entries: Invalidation[]): void {
    const size = this.entries.size;
    for (const [key, entry] of [...this.entries]) {
      const hit = entries.some(
        (inv) =>
          inv.context === entry.name &&
          Object.entries(inv.params).every(([name, text]) => matches(entry.params[name], text)),
      );
      if (!hit) continue;
      if (entry.listeners.size > 0 && entry.spec !== null) {
        void this.load(entry, true); // a value computed before the invalidation is discarded
      } else {
        entry.generation++;
        this.entries.delete(key);
      }
    }
    if (this.entries.size !== size) this.heldChanged();
  }

  /** Refetch every mounted context (after a reconnect, invalidations may have been missed). */
  refreshMounted(names?: readonly string[]): void {
    for (const entry of this.entries.values()) {
      if (entry.listeners.size > 0 && entry.spec !== null) {
        if (names === undefined || names.includes(entry.name)) void this.load(entry, true);
      }
    }
  }
}

function matches(value: unknown, text: string): boolean {
  if (value === undefined || value === null) return true; // not narrowed by this parameter
  if (Array.isArray(value)) return value.some((item) => valueText(item) === text);
  if (typeof value === "object") return true; // compared conservatively: refetch
  return valueText(value) === text;
}

export const contexts = new ContextStore();

async function fetchContext(
  spec: ContextSpec,
  params: Record<string, unknown>,
  revalidate: boolean,
): Promise<Record<string, unknown>> {
  const options: RequestOptions = revalidate ? { cache: "no-cache" } : {};
  if (!spec.endpoint) {
    const variables: Variables = {};
    for (const [python, graphql] of Object.entries(spec.params)) {
      if (params[python] !== undefined) variables[graphql] = params[python];
    }
    return runQuery(spec.operation, variables, options);
  }
  const url = absolute(`${config.contextUrl}${spec.name}/`);
  url.search = canonicalQuery(params);
  const { response, body } = await send(url.toString(), requestInit("GET", baseHeaders(), options));
  return result(spec.operation, response, body);
}

// -- hydration ----------------------------------------------------------------------------

let hydrated = false;

function hydrate(): void {
  if (hydrated) return;
  hydrated = true;
  const data = config.hydration ?? readHydration();
  if (!data || typeof data.contexts !== "object" || data.contexts === null) return;
  for (const [name, value] of Object.entries(data.contexts)) {
    if (value && typeof value === "object") contexts.seed(name, data.params?.[name] ?? {}, value);
  }
}

function readHydration(): HydrationData | null {
  if (typeof document === "undefined" || typeof document.getElementById !== "function") return null;
  const element = document.getElementById(SERVER.hydrationElementId);
  if (!element?.textContent) return null;
  try {
    return JSON.parse(element.textContent) as HydrationData;
  } catch {
    return null;
  }
}

/** Python-named context parameters from GraphQL-named ones (`{userId: 5}` -> `{user_id: 5}`). */
export function pythonParams(spec: ContextSpec, values: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [python, graphql] of Object.entries(spec.params)) {
    if (values[graphql] !== undefined) params[python] = values[graphql];
  }
  return params;
}
