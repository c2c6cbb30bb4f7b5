// TanStack Query (v5) binding: query keys, and the server's invalidations mapped to
// queryClient.invalidateQueries. Copied verbatim by `manage.py export_client`.

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { holdLiveInvalidations } from "./live.js";
import { useMizanClient } from "./react-client.js";
import {
  defaultClient,
  invalidationMatches,
  type ContextSpec,
  type Invalidation,
  type MizanClient,
  type OperationSpec,
  type Variables,
} from "./runtime.js";

/** The first element of every query key the binding makes. */
export const MIZAN_KEY = "mizan";

/** A query's key: `["mizan", "query", <operation>, variables]` (TanStack hashes keys stably). */
export function queryKey(op: OperationSpec, variables: Variables): readonly [string, "query", string, Variables] {
  return [MIZAN_KEY, "query", op.name, variables];
}

/** A context's key: `["mizan", "context", <context>, <Python-named parameters>]`. */
export function contextKey(
  spec: ContextSpec,
  params: Record<string, unknown>,
): readonly [string, "context", string, Record<string, unknown>] {
  return [MIZAN_KEY, "context", spec.name, params];
}

/** A mutation's key: `["mizan", "mutation", <operation>]`. */
export function mutationKey(op: OperationSpec): readonly [string, "mutation", string] {
  return [MIZAN_KEY, "mutation", op.name];
}

/** Mark stale (and refetch if observed) exactly the context queries `entries` name. */
export async function invalidateQueries(queryClient: QueryClient, entries: Invalidation[]): Promise<void> {
  await Promise.all(
    entries.map((entry) =>
      queryClient.invalidateQueries({
        queryKey: [MIZAN_KEY, "context", entry.context],
        predicate: (query) => {
          const params = query.queryKey[3];
          return invalidationMatches(entry, entry.context, (params ?? {}) as Record<string, unknown>);
        },
      }),
    ),
  );
}

/**
 * Pass every invalidation `client` learns of (the X-Mizan-Invalidate header, the
 * `extensions.mizan.invalidate` entry, live `mizanInvalidations` events) on to `queryClient`.
 * Returns the function that disconnects them.
 */
export function connectQueryClient(queryClient: QueryClient, client: MizanClient = defaultClient()): () => void {
  return client.onInvalidate((entries) => {
    void invalidateQueries(queryClient, entries);
  });
}

/**
 * Inside <QueryClientProvider> and <MizanProvider>: connect the two while mounted, and keep
 * the live invalidation stream open (`live: false` leaves it to the context hooks).
 */
export function useMizanQueryInvalidations(options: { live?: boolean } = {}): void {
  const queryClient = useQueryClient();
  const client = useMizanClient();
  const live = options.live ?? true;
  useEffect(() => connectQueryClient(queryClient, client), [queryClient, client]);
  useEffect(() => (live ? holdLiveInvalidations(client) : undefined), [client, live]);
}
