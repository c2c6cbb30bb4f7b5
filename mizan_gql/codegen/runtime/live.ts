// Subscriptions over graphql-ws (the graphql-transport-ws protocol) or, when the WebSocket
// cannot connect or `configure({ transport: "sse" })` says so, over Server-Sent Events (the
// graphql-sse protocol's distinct connections, at /graphql/stream), with reconnect; and the
// `mizanInvalidations` stream that refreshes contexts. Copied verbatim by export_client.

import { createClient, type Client } from "graphql-ws";
import { OPERATIONS } from "./operations.js";
import {
  contexts,
  getConfig,
  invalidate,
  MizanError,
  onConfigure,
  parseInvalidations,
  type GraphQLErrorPayload,
  type OperationSpec,
  type Variables,
} from "./runtime.js";

let client: Client | null = null;
let connectedBefore = false;
// "auto" transport: the WebSocket closed before it ever connected, so SSE from now on.
let webSocketFailed = false;

// The server's own close codes (mizan_gql/constants.py). 4503, the server lost its channel
// layer, is retried like every code graphql-ws does not take as fatal; 4413, a message
// larger than the server accepts, is not: sending it again would be refused again.
const CLOSE_TOO_BIG = 4413;

function retryable(event: unknown): boolean {
  return (event as { code?: unknown } | null)?.code !== CLOSE_TOO_BIG;
}

function wsUrl(): string {
  const config = getConfig();
  if (config.wsUrl) return config.wsUrl;
  const base =
    typeof location !== "undefined" && typeof location.href === "string"
      ? location.href
      : "http://localhost/";
  const url = new URL(config.url, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

let clientCount = 0;

/** The shared graphql-ws client: lazy, and retrying for as long as the page lives. */
export function wsClient(): Client {
  if (client === null) {
    const config = getConfig();
    const id = ++clientCount;
    const notConnected = () => {
      // Only for the current client: one closed or replaced may still report its failures.
      if (id !== clientCount || client === null || connectedBefore) return;
      if (getConfig().transport === "auto") fallBackToSse();
    };
    client = createClient({
      url: wsUrl(),
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
          if (connectedBefore) contexts.refreshMounted();
          connectedBefore = true;
        },
      },
    });
  }
  return client;
}

/** Close the WebSocket (the next subscription opens a new one). */
export async function closeWebSocket(): Promise<void> {
  const current = client;
  client = null;
  connectedBefore = false;
  webSocketFailed = false;
  stopLive();
  if (current) await current.dispose();
}

onConfigure(() => {
  // Reconnect with the new configuration; keep the invalidation stream if something holds it.
  void closeWebSocket();
  if (liveUsers > 0) startLive();
});

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

const running = new Set<Running>();

function useSse(): boolean {
  const config = getConfig();
  if (config.transport !== "auto") return config.transport === "sse";
  return webSocketFailed || (typeof WebSocket === "undefined" && !config.webSocketImpl);
}

function start(entry: Running): void {
  const generation = ++entry.generation;
  const current = entry.sink;
  const sink: ResultSink = {
    next: (result) => entry.generation === generation && current.next(result),
    error: (error) => entry.generation === generation && current.error(error),
    complete: () => entry.generation === generation && current.complete(),
  };
  entry.overSse = useSse();
  entry.stop = entry.overSse
    ? sseSubscribe(entry.payload, sink)
    : wsClient().subscribe<Record<string, unknown>>(entry.payload, sink);
}

/** The WebSocket never connected: move every subscription to Server-Sent Events. */
function fallBackToSse(): void {
  if (webSocketFailed) return;
  webSocketFailed = true;
  const current = client;
  client = null;
  for (const entry of running) {
    if (entry.overSse) continue;
    const stop = entry.stop;
    start(entry);
    stop();
  }
  // Disposing a client still trying to connect rejects with why it stopped: nothing to tell.
  if (current) Promise.resolve(current.dispose()).catch(() => {});
}

function sseUrl(): string {
  const config = getConfig();
  return config.sseUrl ?? `${config.url.replace(/\/+$/, "")}/stream`;
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

/**
 * One subscription over Server-Sent Events (a streaming POST per subscription). A stream
 * that ends without `complete` (the server lost its channel layer, the network dropped)
 * is opened again with backoff, and the mounted contexts are refreshed: invalidations may
 * have been missed meanwhile. An HTTP refusal (403: origin, 4xx) is an error, not retried.
 */
function sseSubscribe(payload: Payload, sink: ResultSink): () => void {
  const controller = new AbortController();
  void (async () => {
    for (let attempt = 0; !controller.signal.aborted; attempt++) {
      if (attempt > 0) {
        await sleep(Math.min(1000 * 2 ** (attempt - 1), 15000) * (0.5 + Math.random() / 2));
        if (controller.signal.aborted) return;
      }
      const config = getConfig();
      const doFetch = config.fetch ?? fetch;
      const extra = typeof config.headers === "function" ? config.headers() : config.headers;
      let response: Response;
      try {
        response = await doFetch(sseUrl(), {
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
      if (attempt > 0) contexts.refreshMounted();
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

/** Subscribe to a generated subscription; returns the function that unsubscribes. */
export function subscribe<T>(
  op: OperationSpec,
  variables: Variables,
  sink: SubscriptionSink<T>,
): () => void {
  if (op.field === null) throw new Error(`${op.name} is not a root-field operation`);
  const field = op.field;
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
        running.delete(entry);
        sink.error?.(toError(error));
      },
      complete: () => {
        running.delete(entry);
        sink.complete?.();
      },
    },
    stop: () => {},
    overSse: false,
    generation: 0,
  };
  running.add(entry);
  start(entry);
  return () => {
    running.delete(entry);
    entry.stop();
  };
}

let liveUsers = 0;
let liveStop: (() => void) | null = null;
let liveHolding = "";
let stopHeldWatch: (() => void) | null = null;
let resubscribing = false;

// How long a replaced stream stays open next to its successor: the server starts the new
// one meanwhile, so that no invalidation falls between the two.
const HANDOVER_MS = 2000;

function startLive(): void {
  if (liveStop !== null || !getConfig().live) return;
  stopHeldWatch ??= contexts.onHeldChange(scheduleResubscribe);
  const holding = contexts.held();
  liveHolding = JSON.stringify(holding);
  liveStop = subscribe<{ header: string }>(
    OPERATIONS.mizanInvalidations,
    { holding },
    {
      next: (event) => invalidate(parseInvalidations(event.header)),
      error: () => {
        // The server refused the subscription (an error, not a lost socket): stop quietly.
        liveStop = null;
      },
    },
  );
}

/** The client fetched (or dropped) entries: tell the server what it holds now. */
function scheduleResubscribe(): void {
  if (resubscribing || liveStop === null) return;
  resubscribing = true;
  queueMicrotask(() => {
    resubscribing = false;
    if (liveStop === null || JSON.stringify(contexts.held()) === liveHolding) return;
    const previous = liveStop;
    liveStop = null;
    startLive();
    setTimeout(previous, HANDOVER_MS);
  });
}

function stopLive(): void {
  liveStop?.();
  liveStop = null;
  stopHeldWatch?.();
  stopHeldWatch = null;
}

/**
 * Keep one `mizanInvalidations` subscription open while anything needs live contexts
 * (each context hook holds it while mounted); events refresh the named contexts. The
 * subscription says which entries the client holds (`contexts.held()`): the server sends
 * only their invalidations, and the client subscribes again as that set changes.
 */
export function holdLiveInvalidations(): () => void {
  if (!getConfig().live) return () => {};
  liveUsers++;
  startLive();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    liveUsers--;
    if (liveUsers === 0) stopLive();
  };
}
