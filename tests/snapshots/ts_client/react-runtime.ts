// React bindings (React 18 and 19): context hooks and providers, channel hooks.
// Copied verbatim by `manage.py export_client`.

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
import {
  contexts,
  MizanError,
  pythonParams,
  type ContextSpec,
  type OperationSpec,
  type Variables,
} from "./runtime.js";

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
  const params = pythonParams(spec, variables);
  const key = contexts.key(spec, params);
  // The parameters are identified by their canonical key, not by object identity.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => params, [key]);
  const subscribeStore = useCallback(
    (listener: () => void) => contexts.subscribe(spec, stable, listener),
    [spec, stable],
  );
  const getSnapshot = useCallback(() => contexts.snapshot(spec, stable), [spec, stable]);
  const state = useSyncExternalStore(subscribeStore, getSnapshot, getSnapshot);
  useEffect(() => {
    void contexts.ensure(spec, stable);
  }, [spec, stable]);
  useEffect(() => holdLiveInvalidations(), []);
  const refetch = useCallback(() => contexts.refetch(spec, stable), [spec, stable]);
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
  useEffect(() => {
    if (!enabled) return undefined;
    setError(undefined);
    return subscribe<M>(op, JSON.parse(key) as Variables, {
      next: (message) => setMessages((current) => [...current, message].slice(-limit.current)),
      error: setError,
    });
  }, [op, key, enabled]);
  const clear = useCallback(() => setMessages([]), []);
  return { messages, error, clear };
}
