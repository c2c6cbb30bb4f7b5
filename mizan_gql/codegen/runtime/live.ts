// Subscriptions over graphql-ws (the graphql-transport-ws protocol) or, when the WebSocket
// cannot connect or `transport: "sse"` says so, over Server-Sent Events (the graphql-sse
// protocol's distinct connections, at /graphql/stream), with reconnect; and the
// `mizanInvalidations` stream that refreshes contexts. Copied verbatim by export_client.
// Each MizanClient has its own WebSocket, SSE streams, fallback decision and invalidation
// stream (`client` arguments; default: the module's default client).

import { createClient, type Client } from "graphql-ws";
import { OPERATIONS } from "./operations.js";
import {
  defaultClient,
  MizanError,
  parseInvalidations,
  type GraphQLErrorPayload,
  type MizanClient,
  type OperationSpec,
  type Variables,
} from "./runtime.js";

// The server's own close codes (mizan_gql/constants.py). 4503, the server lost its channel
// layer, is retried like every code graphql-ws does not take as fatal; 4413, a message
// larger than the server accepts, is not: sending it again would be refused again.
const CLOSE_TOO_BIG = 4413;

function retryable(event: unknown): boolean {
  return (event as { code?: unknown } | null)?.code !== CLOSE_TOO_BIG;
}

function wsUrl(owner: MizanClient): string {
  const config = owner.getConfig();
  if (config.wsUrl) return config.wsUrl;
  const url = owner.absolute(config.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

// How long a replaced stream stays open next to its successor: the server starts the new
// one meanwhile, so that no invalidation falls between the two.
const HANDOVER_MS = 2000;

interface Payload {
  query: string;
  operationName: string;
  variables: Variables;
}

interface ResultSink {
  next: (result: {
    data?: Record<string, unknown> | null | undefined;
    errors?: readonly unknown[] | undefined;
  }) => void;
  error: (error: unknown) => void;
  complete: () => void;
}

/** A running subscription, and the transport it runs on (it moves when SSE takes over). */
interface Running {
  payload: Payload;
  sink: ResultSink;
  stop: () => void;
  overSse: boolean;
  /** Counts the starts: events of a transport the subscription has left are dropped. */
  generation: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The events of an SSE response body, as (event name, data text) pairs. */
async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue; // a comment: the server's keep-alive
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = text;
          else if (field === "data") data.push(text);
        }
        if (data.length > 0 || event !== "message") yield { event, data: data.join("\n") };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** One client's WebSocket, SSE streams and invalidation stream. */
class Live {
  socket: Client | null = null;
  connectedBefore = false;
  /** Counts the sockets created: one closed or replaced may still report its failures. */
  socketCount = 0;
  /** "auto" transport: this client's WebSocket closed before it ever connected, so SSE. */
  webSocketFailed = false;
  /** This client's running subscriptions, on either transport. */
  readonly running = new Set<Running>();
  users = 0;
  stop: (() => void) | null = null;
  holding = "";
  stopHeldWatch: (() => void) | null = null;
  resubscribing = false;

  constructor(readonly owner: MizanClient) {
    owner.onConfigure(() => {
      // Reconnect with the new configuration; keep the invalidation stream if something holds it.
      void this.close();
      if (this.users > 0) this.start();
    });
  }

  /** The graphql-ws client: lazy, and retrying for as long as the page lives. */
  client(): Client {
    if (this.socket === null) {
      const config = this.owner.getConfig();
      const id = ++this.socketCount;
      const notConnected = () => {
        // Only for the current socket: one closed or replaced may still report its failures.
        if (id !== this.socketCount || this.socket === null || this.connectedBefore) return;
        if (this.owner.getConfig().transport === "auto") this.fallBackToSse();
      };
      this.socket = createClient({
        url: wsUrl(this.owner),
        lazy: true,
        retryAttempts: Number.POSITIVE_INFINITY,
        shouldRetry: retryable,
        retryWait: async (retries) => {
          const delay = Math.min(1000 * 2 ** retries, 15000) * (0.5 + Math.random() / 2);
          await new Promise((resolve) => setTimeout(resolve, delay));
        },
        ...(config.webSocketImpl ? { webSocketImpl: config.webSocketImpl } : {}),
        on: {
          // A socket that fails before it ever connected (Node's WebSocket reports a refused
          // upgrade as an error, without a close): SSE takes over, under "auto".
          error: notConnected,
          closed: notConnected,
          connected: () => {
            // Invalidations sent while the socket was down were missed: refresh what is shown.
            if (this.connectedBefore) this.owner.contexts.refreshMounted();
            this.connectedBefore = true;
          },
        },
      });
    }
    return this.socket;
  }

  async close(): Promise<void> {
    const current = this.socket;
    this.socket = null;
    this.connectedBefore = false;
    this.webSocketFailed = false;
    this.stopStream();
    if (current) await current.dispose();
  }

  useSse(): boolean {
    const config = this.owner.getConfig();
    if (config.transport !== "auto") return config.transport === "sse";
    return this.webSocketFailed || (typeof WebSocket === "undefined" && !config.webSocketImpl);
  }

  /** Start (or restart, on the transport now chosen) a running subscription. */
  run(entry: Running): void {
    const generation = ++entry.generation;
    const current = entry.sink;
    const sink: ResultSink = {
      next: (result) => entry.generation === generation && current.next(result),
      error: (error) => entry.generation === generation && current.error(error),
      complete: () => entry.generation === generation && current.complete(),
    };
    entry.overSse = this.useSse();
    entry.stop = entry.overSse
      ? this.sseSubscribe(entry.payload, sink)
      : this.client().subscribe<Record<string, unknown>>(entry.payload, sink);
  }

  /** The WebSocket never connected: move every subscription of this client to SSE. */
  private fallBackToSse(): void {
    if (this.webSocketFailed) return;
    this.webSocketFailed = true;
    const current = this.socket;
    this.socket = null;
    for (const entry of this.running) {
      if (entry.overSse) continue;
      const stop = entry.stop;
      this.run(entry);
      stop();
    }
    // Disposing a client still trying to connect rejects with why it stopped: nothing to tell.
    if (current) Promise.resolve(current.dispose()).catch(() => {});
  }

  private sseUrl(): string {
    const config = this.owner.getConfig();
    return this.owner.absolute(config.sseUrl ?? `${config.url.replace(/\/+$/, "")}/stream`).toString();
  }

  /**
   * One subscription over Server-Sent Events (a streaming POST per subscription). A stream
   * that ends without `complete` (the server lost its channel layer, the network dropped)
   * is opened again with backoff, and the client's mounted contexts are refreshed:
   * invalidations may have been missed meanwhile. An HTTP refusal (403: origin, 4xx) is an
   * error, not retried.
   */
  private sseSubscribe(payload: Payload, sink: ResultSink): () => void {
    const controller = new AbortController();
    void (async () => {
      for (let attempt = 0; !controller.signal.aborted; attempt++) {
        if (attempt > 0) {
          await sleep(Math.min(1000 * 2 ** (attempt - 1), 15000) * (0.5 + Math.random() / 2));
          if (controller.signal.aborted) return;
        }
        const config = this.owner.getConfig();
        const doFetch = config.fetch ?? (typeof fetch === "function" ? fetch : null);
        if (doFetch === null) {
          sink.error(new MizanError("No fetch implementation available", "NETWORK_ERROR"));
          return;
        }
        const extra = typeof config.headers === "function" ? config.headers() : config.headers;
        let response: Response;
        try {
          response = await doFetch(this.sseUrl(), {
            method: "POST",
            credentials: config.credentials,
            signal: controller.signal,
            headers: { ...extra, accept: "text/event-stream", "content-type": "application/json" },
            body: JSON.stringify(payload),
          });
        } catch {
          continue; // the network: try again
        }
        if (!response.ok || response.body === null) {
          const code = response.status === 403 ? "FORBIDDEN" : "NETWORK_ERROR";
          sink.error(new MizanError(`The event stream was refused (HTTP ${response.status})`, code));
          return;
        }
        if (attempt > 0) this.owner.contexts.refreshMounted();
        try {
          for await (const { event, data } of serverSentEvents(response.body)) {
            if (event === "next") {
              attempt = 0;
              sink.next(JSON.parse(data));
            } else if (event === "complete") {
              sink.complete();
              return;
            }
          }
        } catch {
          // aborted by the caller, or the connection dropped: the loop decides
        }
      }
    })();
    return () => controller.abort();
  }

  start(): void {
    if (this.stop !== null || !this.owner.getConfig().live) return;
    const contexts = this.owner.contexts;
    this.stopHeldWatch ??= contexts.onHeldChange(() => this.scheduleResubscribe());
    const holding = contexts.held();
    this.holding = JSON.stringify(holding);
    this.stop = subscribe<{ header: string }>(
      OPERATIONS.mizanInvalidations,
      { holding },
      {
        next: (event) => this.owner.invalidate(parseInvalidations(event.header)),
        error: () => {
          // The server refused the subscription (an error, not a lost socket): stop quietly.
          this.stop = null;
        },
      },
      { client: this.owner },
    );
  }

  /** The client fetched (or dropped) entries: tell the server what it holds now. */
  private scheduleResubscribe(): void {
    if (this.resubscribing || this.stop === null) return;
    this.resubscribing = true;
    queueMicrotask(() => {
      this.resubscribing = false;
      if (this.stop === null || JSON.stringify(this.owner.contexts.held()) === this.holding) return;
      const previous = this.stop;
      this.stop = null;
      this.start();
      setTimeout(previous, HANDOVER_MS);
    });
  }

  stopStream(): void {
    this.stop?.();
    this.stop = null;
    this.stopHeldWatch?.();
    this.stopHeldWatch = null;
  }
}

const lives = new WeakMap<MizanClient, Live>();

function live(owner: MizanClient = defaultClient()): Live {
  let state = lives.get(owner);
  if (state === undefined) {
    state = new Live(owner);
    lives.set(owner, state);
  }
  return state;
}

/** The client's graphql-ws client (default: the default client's). */
export function wsClient(owner?: MizanClient): Client {
  return live(owner).client();
}

/** Close the client's WebSocket (the next subscription opens a new one). */
export async function closeWebSocket(owner?: MizanClient): Promise<void> {
  await live(owner).close();
}

export interface SubscriptionSink<T> {
  next: (value: T) => void;
  error?: (error: MizanError) => void;
  complete?: () => void;
}

function toError(error: unknown): MizanError {
  if (error instanceof MizanError) return error;
  if (Array.isArray(error)) return MizanError.fromErrors(error as GraphQLErrorPayload[], null);
  const reason = (error as { reason?: string; code?: number } | null)?.reason;
  return new MizanError(reason || String(error), "NETWORK_ERROR");
}

/** Subscribe to a generated subscription; returns the function that unsubscribes. */
export function subscribe<T>(
  op: OperationSpec,
  variables: Variables,
  sink: SubscriptionSink<T>,
  options: { client?: MizanClient | undefined } = {},
): () => void {
  if (op.field === null) throw new Error(`${op.name} is not a root-field operation`);
  const field = op.field;
  const state = live(options.client);
  const entry: Running = {
    payload: { query: op.document, operationName: op.name, variables },
    sink: {
      next: (result) => {
        if (result.errors && result.errors.length > 0) {
          sink.error?.(MizanError.fromErrors(result.errors as GraphQLErrorPayload[], null));
          return;
        }
        const value = result.data?.[field];
        if (value !== undefined) sink.next(value as T);
      },
      error: (error) => {
        state.running.delete(entry);
        sink.error?.(toError(error));
      },
      complete: () => {
        state.running.delete(entry);
        sink.complete?.();
      },
    },
    stop: () => {},
    overSse: false,
    generation: 0,
  };
  state.running.add(entry);
  state.run(entry);
  return () => {
    state.running.delete(entry);
    entry.stop();
  };
}

/**
 * Keep one `mizanInvalidations` subscription open while anything needs live contexts
 * (each context hook holds it while mounted); events refresh the named contexts. The
 * subscription says which entries the client holds (`client.contexts.held()`): the server
 * sends only their invalidations, and the client subscribes again as that set changes.
 */
export function holdLiveInvalidations(owner?: MizanClient): () => void {
  const state = live(owner);
  if (!state.owner.getConfig().live) return () => {};
  state.users++;
  state.start();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.users--;
    if (state.users === 0) state.stopStream();
  };
}
