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

/** How a client reaches the server (`createMizanClient(options)`, `client.configure(options)`). */
export interface MizanConfig {
  /**
   * Where relative URLs point: the site's origin (e.g. "https://example.com"). Default: the
   * page's location in a browser. Required under server-side rendering, where there is none.
   */
  baseUrl: string | null;
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

/**
 * Context values to start from: what `{% mizan_hydrate %}` embeds (one entry per context,
 * `contexts` and `params`), or what `client.dehydrate()` gives after a server-side render
 * (`entries`, any number per context).
 */
export interface HydrationData {
  contexts: Record<string, Record<string, unknown>>;
  params?: Record<string, Record<string, unknown>>;
  entries?: { context: string; params: Record<string, unknown>; data: Record<string, unknown> }[];
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

function defaults(): MizanConfig {
  return {
    baseUrl: null,
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
  /** The client to send through (default: the module's browser-only default client). */
  client?: MizanClient | undefined;
}

/** Options naming only a client: context loaders and subscriptions take these. */
export interface ClientOptions {
  client?: MizanClient | undefined;
}

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorPayload[];
  extensions?: Record<string, unknown>;
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

// -- the client ---------------------------------------------------------------------------

/** What `createMizanClient()` takes: any part of the configuration. */
export type MizanClientOptions = Partial<MizanConfig>;

/**
 * One client: its configuration, its context store (hydrated from its own data), its
 * invalidation listeners and (in live.ts) its WebSocket. Nothing is shared between two
 * clients, so a server rendering pages for several users creates one per request.
 */
export class MizanClient {
  /** Every fetched context instance of this client. */
  readonly contexts: ContextStore;
  private config: MizanConfig;
  private persistedSupported = true;
  private hydrated = false;
  private readonly invalidationListeners = new Set<InvalidationListener>();
  private readonly configureListeners = new Set<() => void>();

  constructor(options: MizanClientOptions = {}) {
    this.config = { ...defaults(), ...options };
    this.contexts = new ContextStore(this);
  }

  /** Change how the client reaches the server (transports reconnect; hydration is read again). */
  configure(options: Partial<MizanConfig>): void {
    Object.assign(this.config, options);
    this.persistedSupported = true;
    this.hydrated = false;
    for (const listener of [...this.configureListeners]) listener();
  }

  getConfig(): Readonly<MizanConfig> {
    return this.config;
  }

  /** Be told when `configure()` changes the configuration (transports reconnect). */
  onConfigure(listener: () => void): () => void {
    this.configureListeners.add(listener);
    return () => {
      this.configureListeners.delete(listener);
    };
  }

  /** Be told about every invalidation this client learns of (headers, extensions, WebSocket). */
  onInvalidate(listener: InvalidationListener): () => void {
    this.invalidationListeners.add(listener);
    return () => {
      this.invalidationListeners.delete(listener);
    };
  }

  /** Refresh the contexts named by `entries` (mounted ones refetch, others are dropped). */
  invalidate(entries: Invalidation[]): void {
    if (entries.length === 0) return;
    this.contexts.invalidate(entries);
    for (const listener of [...this.invalidationListeners]) listener(entries);
  }

  /** A URL made absolute against `baseUrl`, else the page's location. */
  absolute(url: string): URL {
    const base =
      this.config.baseUrl ??
      (typeof location !== "undefined" && typeof location.href === "string"
        ? location.href
        : "http://localhost/");
    return new URL(url, base);
  }

  /**
   * Run a generated query: a GET carrying only the document's sha256 (cacheable by the browser
   * and CDNs), then, per Apollo's APQ protocol, the full document when the server answers
   * PersistedQueryNotFound, or plain POSTs once it answers PersistedQueryNotSupported.
   */
  async runQuery(
    op: OperationSpec,
    variables: Variables = {},
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const config = this.config;
    if (config.persisted && this.persistedSupported && options.method !== "POST") {
      const url = this.getUrl(op, variables);
      if (url.length <= config.maxGetUrlLength) {
        const first = await this.send(url, requestInit("GET", this.baseHeaders(options.headers), options));
        const body = first.body as GraphQLResponse | null;
        if (hasCode(body, "PERSISTED_QUERY_NOT_SUPPORTED")) {
          this.persistedSupported = false;
        } else if (!hasCode(body, "PERSISTED_QUERY_NOT_FOUND")) {
          return this.result(op, first.response, first.body);
        }
      }
    }
    // Register the document with its hash (APQ), or send it plainly.
    const second = await this.post(op, variables, options, config.persisted && this.persistedSupported);
    const body = second.body as GraphQLResponse | null;
    if (hasCode(body, "PERSISTED_QUERY_NOT_SUPPORTED")) {
      this.persistedSupported = false;
      const plain = await this.post(op, variables, options, false);
      return this.result(op, plain.response, plain.body);
    }
    return this.result(op, second.response, second.body);
  }

  /**
   * Run a generated mutation: a POST with Django's CSRF token in the CSRF header. Variables
   * holding Blobs/Files (form file fields) go as a GraphQL multipart request.
   */
  async runMutation(
    op: OperationSpec,
    variables: Variables = {},
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const { response, body } = await this.post(op, variables, options, false);
    return this.result(op, response, body);
  }

  /** Fetch a context's value from the server (its GET endpoint, else its operation). */
  async fetchContext(
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
      return this.runQuery(spec.operation, variables, options);
    }
    const url = this.absolute(`${this.config.contextUrl}${spec.name}/`);
    url.search = canonicalQuery(params);
    const { response, body } = await this.send(url.toString(), requestInit("GET", this.baseHeaders(), options));
    return this.result(spec.operation, response, body);
  }

  /**
   * The context values this client holds, as `hydration` of another client takes them: a
   * server-side render embeds them in the page, and the browser's client starts from them.
   */
  dehydrate(): HydrationData {
    this.hydrate();
    return { contexts: {}, entries: this.contexts.values() };
  }

  /** Seed the context store from `hydration` (or the page's script element), once. */
  hydrate(): void {
    if (this.hydrated) return;
    this.hydrated = true;
    const data = this.config.hydration ?? readHydration();
    if (!data || typeof data !== "object") return;
    for (const entry of data.entries ?? []) {
      if (entry?.data && typeof entry.data === "object") {
        this.contexts.seed(entry.context, entry.params ?? {}, entry.data);
      }
    }
    if (typeof data.contexts !== "object" || data.contexts === null) return;
    for (const [name, value] of Object.entries(data.contexts)) {
      if (value && typeof value === "object") this.contexts.seed(name, data.params?.[name] ?? {}, value);
    }
  }

  private baseHeaders(extra?: Record<string, string>): Record<string, string> {
    const headers = this.config.headers;
    const configured = typeof headers === "function" ? headers() : headers;
    return { Accept: "application/json", ...configured, ...extra };
  }

  private async send(url: string, init: RequestInit): Promise<{ response: Response; body: unknown }> {
    const doFetch = this.config.fetch ?? (typeof fetch === "function" ? fetch : null);
    if (doFetch === null) throw new MizanError("No fetch implementation available", "NETWORK_ERROR");
    let response: Response;
    try {
      response = await doFetch(url, { credentials: this.config.credentials, ...init });
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

  private getUrl(op: OperationSpec, variables: Variables): string {
    const url = this.absolute(this.config.url);
    url.searchParams.set("operationName", op.name);
    if (Object.keys(variables).length > 0) url.searchParams.set("variables", JSON.stringify(variables));
    url.searchParams.set(
      "extensions",
      JSON.stringify({ persistedQuery: { version: 1, sha256Hash: op.sha256 } }),
    );
    return url.toString();
  }

  private async post(
    op: OperationSpec,
    variables: Variables,
    options: RequestOptions,
    persisted: boolean,
  ): Promise<{ response: Response; body: unknown }> {
    const payload: Record<string, unknown> = { query: op.document, operationName: op.name, variables };
    if (persisted) payload.extensions = { persistedQuery: { version: 1, sha256Hash: op.sha256 } };
    const files = new Map<Blob, string[]>();
    const plain = extractFiles(variables, "variables", files);
    const headers = this.baseHeaders(options.headers);
    const token = this.config.csrfToken();
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
    return this.send(this.absolute(this.config.url).toString(), requestInit("POST", headers, options, body));
  }

  private result(op: OperationSpec, response: Response, body: unknown): Record<string, unknown> {
    this.invalidate(invalidationsOf(response, body));
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
}

/** A new client; under server-side rendering, one per request (see docs/typescript-client.md). */
export function createMizanClient(options: MizanClientOptions = {}): MizanClient {
  return new MizanClient(options);
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
export class ContextStore {
  private entries = new Map<string, ContextEntry>();
  private heldListeners = new Set<() => void>();

  constructor(private readonly client: MizanClient) {}

  key(spec: ContextSpec, params: Record<string, unknown>): string {
    return entryKey(spec.name, params);
  }

  private entry(spec: ContextSpec, params: Record<string, unknown>): ContextEntry {
    this.client.hydrate();
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
    if (entry.inflight !== null) return entry.inflight; // e.g. a refetch after an invalidation
    if (entry.state.data !== undefined) return Promise.resolve();
    return this.load(entry, false);
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

  /**
   * A value for a cache that decides itself when to ask (TanStack Query): a hydrated value
   * nothing has read yet, else a fresh fetch. The entry stays held for live invalidations.
   */
  async query(spec: ContextSpec, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.client.hydrate();
    const seeded = this.entries.get(this.key(spec, params));
    const entry = this.entry(spec, params);
    if (seeded?.spec !== null || entry.state.data === undefined) await this.load(entry, true);
    if (entry.state.error) throw entry.state.error;
    return entry.state.data ?? {};
  }

  /** The values held, for `client.dehydrate()`. */
  values(): { context: string; params: Record<string, unknown>; data: Record<string, unknown> }[] {
    const values = [];
    for (const entry of this.entries.values()) {
      if (entry.state.data !== undefined) {
        values.push({ context: entry.name, params: entry.params, data: entry.state.data });
      }
    }
    return values;
  }

  private load(entry: ContextEntry, revalidate: boolean): Promise<void> {
    const spec = entry.spec;
    if (spec === null) return Promise.resolve(); // nothing knows how to fetch it yet
    const generation = ++entry.generation;
    this.update(entry, { ...entry.state, loading: true });
    const run = this.client.fetchContext(spec, entry.params, revalidate).then(
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
      const hit = entries.some((inv) => invalidationMatches(inv, entry.name, entry.params));
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

/** Whether the invalidation `inv` names the entry of `context` for `params`. */
export function invalidationMatches(
  inv: Invalidation,
  context: string,
  params: Record<string, unknown>,
): boolean {
  return (
    inv.context === context &&
    Object.entries(inv.params).every(([name, text]) => matches(params[name], text))
  );
}

function matches(value: unknown, text: string): boolean {
  if (value === undefined || value === null) return true; // not narrowed by this parameter
  if (Array.isArray(value)) return value.some((item) => valueText(item) === text);
  if (typeof value === "object") return true; // compared conservatively: refetch
  return valueText(value) === text;
}

// -- hydration ----------------------------------------------------------------------------

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

// -- the default client -------------------------------------------------------------------
//
// The module functions below, and hooks rendered without a <MizanProvider>, use one client
// shared by the whole JavaScript realm. In a browser that is one user; in a server rendering
// pages for many users it would mix their data: there, create a client per request.

const defaultInstance = new MizanClient();

/** The default client's context store. */
export const contexts = defaultInstance.contexts;

/** The module's default client (browser-only: under SSR, use `createMizanClient()`). */
export function defaultClient(): MizanClient {
  return defaultInstance;
}

/** Change how the default client reaches the server (call once, before the first request). */
export function configure(options: Partial<MizanConfig>): void {
  defaultInstance.configure(options);
}

/** Be told when `configure()` changes the default client's configuration. */
export function onConfigure(listener: () => void): () => void {
  return defaultInstance.onConfigure(listener);
}

export function getConfig(): Readonly<MizanConfig> {
  return defaultInstance.getConfig();
}

/** Be told about every invalidation the default client learns of. */
export function onInvalidate(listener: InvalidationListener): () => void {
  return defaultInstance.onInvalidate(listener);
}

/** Refresh the default client's contexts named by `entries`. */
export function invalidate(entries: Invalidation[]): void {
  defaultInstance.invalidate(entries);
}

/** Run a generated query through `options.client` (default: the default client). */
export function runQuery(
  op: OperationSpec,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  return (options.client ?? defaultInstance).runQuery(op, variables, options);
}

/** Run a generated mutation through `options.client` (default: the default client). */
export function runMutation(
  op: OperationSpec,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  return (options.client ?? defaultInstance).runMutation(op, variables, options);
}
