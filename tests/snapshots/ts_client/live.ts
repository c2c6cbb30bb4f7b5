// Subscriptions over graphql-ws (the graphql-transport-ws protocol), with reconnect, and the
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

/** The shared graphql-ws client: lazy, and retrying for as long as the page lives. */
export function wsClient(): Client {
  if (client === null) {
    const config = getConfig();
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

/** Subscribe to a generated subscription; returns the function that unsubscribes. */
export function subscribe<T>(
  op: OperationSpec,
  variables: Variables,
  sink: SubscriptionSink<T>,
): () => void {
  if (op.field === null) throw new Error(`${op.name} is not a root-field operation`);
  const field = op.field;
  return wsClient().subscribe<Record<string, unknown>>(
    { query: op.document, operationName: op.name, variables },
    {
      next: (result) => {
        if (result.errors && result.errors.length > 0) {
          sink.error?.(MizanError.fromErrors(result.errors as GraphQLErrorPayload[], null));
          return;
        }
        const value = result.data?.[field];
        if (value !== undefined) sink.next(value as T);
      },
      error: (error) => sink.error?.(toError(error)),
      complete: () => sink.complete?.(),
    },
  );
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
