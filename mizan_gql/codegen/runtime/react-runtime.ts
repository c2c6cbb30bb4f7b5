// React bindings (React 18 and 19): the client provider, context hooks and providers, query
// and mutation hooks, channel hooks. Copied verbatim by `manage.py export_client`.

import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { holdLiveInvalidations, subscribe } from "./live.js";
import { useMizanClient } from "./react-client.js";
import {
  MizanError,
  pythonParams,
  type ContextSpec,
  type OperationSpec,
  type RequestOptions,
  type Variables,
} from "./runtime.js";

function asError(error: unknown): MizanError {
  return error instanceof MizanError ? error : new MizanError(String(error), "NETWORK_ERROR");
}

/** What a context hook returns. */
export interface ContextResult<T> {
  /** The value (hydrated, cached or fetched); undefined until it has arrived. */
  data: T | undefined;
  error: MizanError | undefined;
  /** True while a fetch (first load or refetch after an invalidation) is running. */
  loading: boolean;
  /** Fetch again, bypassing the browser's cache. */
  refetch: () => Promise<void>;
}

/** Read a context through the shared store; `select` picks the value from the context data. */
export function useContextValue<T>(
  spec: ContextSpec,
  variables: Record<string, unknown>,
  select: (data: Record<string, unknown>) => T,
): ContextResult<T> {
  const client = useMizanClient();
  const contexts = client.contexts;
  const params = pythonParams(spec, variables);
  const key = contexts.key(spec, params);
  // The parameters are identified by their canonical key, not by object identity.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => params, [key]);
  const subscribeStore = useCallback(
    (listener: () => void) => contexts.subscribe(spec, stable, listener),
    [contexts, spec, stable],
  );
  const getSnapshot = useCallback(() => contexts.snapshot(spec, stable), [contexts, spec, stable]);
  const state = useSyncExternalStore(subscribeStore, getSnapshot, getSnapshot);
  useEffect(() => {
    void contexts.ensure(spec, stable);
  }, [contexts, spec, stable]);
  useEffect(() => holdLiveInvalidations(client), [client]);
  const refetch = useCallback(() => contexts.refetch(spec, stable), [contexts, spec, stable]);
  const data = state.data === undefined ? undefined : select(state.data);
  return { data, error: state.error, loading: state.loading, refetch };
}

/** A provider component and the hook that reads the nearest one (local and named contexts). */
export function contextProvider<P extends Record<string, unknown>, T>(
  spec: ContextSpec,
  select: (data: Record<string, unknown>) => T,
  displayName: string,
): {
  Provider: (props: P & { children?: ReactNode }) => ReactNode;
  use: () => ContextResult<T>;
} {
  const Context = createContext<ContextResult<T> | null>(null);
  Context.displayName = displayName;
  function Provider(props: P & { children?: ReactNode }): ReactNode {
    const { children, ...variables } = props;
    const value = useContextValue(spec, variables, select);
    return createElement(Context.Provider, { value }, children);
  }
  Provider.displayName = displayName;
  function use(): ContextResult<T> {
    const value = useContext(Context);
    if (value === null) {
      throw new Error(`use${displayName.replace(/Provider$/, "")}() needs a <${displayName}> above it`);
    }
    return value;
  }
  return { Provider, use };
}

export interface ChannelOptions {
  /** Keep at most this many messages (oldest dropped). Default 100. */
  maxMessages?: number;
  /** Subscribe only while true. Default true. */
  enabled?: boolean;
}

export interface ChannelResult<M> {
  /** Messages received since the hook subscribed, oldest first. */
  messages: M[];
  /** The subscription's last error (e.g. FORBIDDEN from the channel's authorize()). */
  error: MizanError | undefined;
  /** Forget the messages received so far. */
  clear: () => void;
}

/** Messages of a channel subscription; resubscribes when the parameters change. */
export function useChannelMessages<M>(
  op: OperationSpec,
  variables: Variables,
  options: ChannelOptions = {},
): ChannelResult<M> {
  const { maxMessages = 100, enabled = true } = options;
  const [messages, setMessages] = useState<M[]>([]);
  const [error, setError] = useState<MizanError | undefined>(undefined);
  const key = JSON.stringify(variables);
  const limit = useRef(maxMessages);
  limit.current = maxMessages;
  const client = useMizanClient();
  useEffect(() => {
    if (!enabled) return undefined;
    setError(undefined);
    return subscribe<M>(
      op,
      JSON.parse(key) as Variables,
      {
        next: (message) => setMessages((current) => [...current, message].slice(-limit.current)),
        error: setError,
      },
      { client },
    );
  }, [client, op, key, enabled]);
  const clear = useCallback(() => setMessages([]), []);
  return { messages, error, clear };
}

// -- queries and mutations ----------------------------------------------------------------

export interface QueryOptions {
  /** Run only while true. Default true. */
  enabled?: boolean;
}

/** What a query hook returns. */
export interface QueryResult<T> {
  data: T | undefined;
  /** The failure, with the server's `extensions.code` as `error.code`. */
  error: MizanError | undefined;
  /** True while the query runs (first time, new variables, refetch). */
  loading: boolean;
  refetch: () => Promise<void>;
}

interface QueryState<T> {
  data: T | undefined;
  error: MizanError | undefined;
  loading: boolean;
}

/** Run a generated query for `variables` (again when they change); nothing is cached. */
export function useQueryResult<T>(
  op: OperationSpec,
  field: string,
  variables: Variables,
  options: QueryOptions & Pick<RequestOptions, "method"> = {},
): QueryResult<T> {
  const { enabled = true, method } = options;
  const client = useMizanClient();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<T>>({ data: undefined, error: undefined, loading: enabled });
  const run = useRef(0);
  const load = useCallback(async (): Promise<void> => {
    const current = ++run.current;
    setState((previous) => ({ ...previous, loading: true }));
    const request: RequestOptions = { client };
    if (method !== undefined) request.method = method;
    try {
      const data = await client.runQuery(op, JSON.parse(key) as Variables, request);
      if (current === run.current) setState({ data: data[field] as T, error: undefined, loading: false });
    } catch (error) {
      if (current === run.current) {
        setState((previous) => ({ data: previous.data, error: asError(error), loading: false }));
      }
    }
  }, [client, op, field, key, method]);
  useEffect(() => {
    if (!enabled) return undefined;
    void load();
    return () => {
      run.current++; // an answer for old variables (or after unmounting) is dropped
    };
  }, [load, enabled]);
  return { data: state.data, error: state.error, loading: state.loading, refetch: load };
}

/** What a mutation hook returns. */
export interface MutationResult<V, T> {
  /** Run the mutation; resolves to its value, rejects with a MizanError (also kept in `error`). */
  mutate: (variables: V) => Promise<T>;
  /** The last successful run's value. */
  data: T | undefined;
  error: MizanError | undefined;
  loading: boolean;
  reset: () => void;
}

/** A generated mutation, run on demand through the provider's client. */
export function useMutationResult<V, T>(op: OperationSpec, field: string): MutationResult<V, T> {
  const client = useMizanClient();
  const [state, setState] = useState<QueryState<T>>({ data: undefined, error: undefined, loading: false });
  const mutate = useCallback(
    async (variables: V): Promise<T> => {
      setState((previous) => ({ ...previous, error: undefined, loading: true }));
      try {
        const data = await client.runMutation(op, variables as Variables, { client });
        const value = data[field] as T;
        setState({ data: value, error: undefined, loading: false });
        return value;
      } catch (error) {
        const failure = asError(error);
        setState((previous) => ({ data: previous.data, error: failure, loading: false }));
        throw failure;
      }
    },
    [client, op, field],
  );
  const reset = useCallback(() => setState({ data: undefined, error: undefined, loading: false }), []);
  return { mutate, data: state.data, error: state.error, loading: state.loading, reset };
}
