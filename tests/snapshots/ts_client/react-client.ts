// The client provider of the React bindings; only React and the core runtime are needed.
// Copied verbatim by `manage.py export_client`.

import { createContext, createElement, useContext, type ReactNode } from "react";
import { defaultClient, type MizanClient } from "./runtime.js";

const ClientContext = createContext<MizanClient | null>(null);
ClientContext.displayName = "MizanClient";

/**
 * Gives `client` to every hook below it. Under server-side rendering, create one client per
 * request (`createMizanClient`) and wrap the page in its provider: nothing is shared between
 * requests. Without a provider, hooks use the module's default client (browser only).
 */
export function MizanProvider(props: { client: MizanClient; children?: ReactNode }): ReactNode {
  return createElement(ClientContext.Provider, { value: props.client }, props.children);
}

/** The client of the nearest <MizanProvider>, else the default client. */
export function useMizanClient(): MizanClient {
  return useContext(ClientContext) ?? defaultClient();
}
