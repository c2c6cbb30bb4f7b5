// Subscriptions over graphql-ws (the graphql-transport-ws protocol), with reconnect, and the
// `mizanInvalidations` stream that refreshes contexts. Copied verbatim by export_client.
// Each MizanClient has its own WebSocket and stream (`client` arguments; default: the
// module's default client).

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

/** One client's WebSocket and invalidation stream. */
class Live {
  socket: Client | null = null;
  connectedBefore = false;
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
    this.stopStream();
    if (current) await current.dispose();
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
  return live(options.client).client().subscribe<Record<string, unknown>>(
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
