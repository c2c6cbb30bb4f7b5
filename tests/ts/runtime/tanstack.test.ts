// The TanStack Query binding (tanstack.ts), rendered with @testing-library/react in jsdom
// against the server tests/codegen/test_runtime.py starts (MIZAN_URL): a mutation that
// invalidates a context refetches exactly that query, and live invalidations arrive too.

import "./dom.js";

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { QueryClient, QueryClientProvider, useMutation, useQuery } from "@tanstack/react-query";
import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { createElement, type ReactNode } from "react";

import { createMizanClient, type MizanClient } from "../generated/app/index.js";
import { closeWebSocket } from "../generated/app/live.js";
import { MizanProvider, useMizanClient } from "../generated/app/react.js";
import {
  contextKey,
  echoQueryOptions,
  greetContextOptions,
  noteContextOptions,
  updateNoteMutationOptions,
  useMizanQueryInvalidations,
} from "../generated/app/tanstack.js";
import { CONTEXTS } from "../generated/app/operations.js";
import { Browser } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run these tests through tests/codegen/test_runtime.py");

// This file's own notes (the test files run at the same time against one server).
const EDITED = 7;
const OTHER = 8;

let browser: Browser;
let client: MizanClient;

before(async () => {
  browser = new Browser(BASE!);
  await browser.startSession();
  client = createMizanClient({
    baseUrl: BASE!,
    fetch: browser.fetch,
    csrfToken: browser.csrfToken,
    webSocketImpl: browser.webSocket,
  });
  await browser.rawGraphQL(`mutation { a: updateNote(noteId: ${EDITED}, text: "before") { noteId } b: updateNote(noteId: ${OTHER}, text: "other") { noteId } }`);
});

after(async () => {
  cleanup();
  await closeWebSocket(client);
});

function wrap(queryClient: QueryClient, children: ReactNode): ReactNode {
  return createElement(
    QueryClientProvider,
    { client: queryClient },
    createElement(MizanProvider, { client }, children),
  );
}

function fetches(part: string): number {
  return browser.log.filter((r) => `${r.url.pathname}${r.url.search}`.includes(part)).length;
}

test("a mutation invalidating a context refetches exactly that query", async () => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  let save: ((text: string) => Promise<unknown>) | undefined;
  function Notes() {
    useMizanQueryInvalidations({ live: false });
    const mizan = useMizanClient();
    const edited = useQuery(noteContextOptions({ noteId: EDITED }, mizan));
    const other = useQuery(noteContextOptions({ noteId: OTHER }, mizan));
    const echo = useQuery(echoQueryOptions({ text: "tq" }, mizan));
    const mutation = useMutation(updateNoteMutationOptions(mizan));
    save = (text) => mutation.mutateAsync({ noteId: EDITED, text });
    return createElement(
      "p",
      null,
      `edited=${edited.data?.note.text ?? "…"} other=${other.data?.note.text ?? "…"} echo=${echo.data?.message ?? "…"}`,
    );
  }
  render(wrap(queryClient, createElement(Notes)));
  await waitFor(() => screen.getByText("edited=before other=other echo=tq"));
  const before = {
    edited: fetches(`note_id=${EDITED}`),
    other: fetches(`note_id=${OTHER}`),
    echo: fetches("operationName=Echo"),
  };
  assert.deepEqual(before, { edited: 1, other: 1, echo: 1 });

  await act(async () => {
    await save!("after");
  });
  await waitFor(() => screen.getByText("edited=after other=other echo=tq"));
  assert.deepEqual(
    { edited: fetches(`note_id=${EDITED}`), other: fetches(`note_id=${OTHER}`), echo: fetches("operationName=Echo") },
    { edited: 2, other: 1, echo: 1 },
  );
  const state = (noteId: number) =>
    queryClient.getQueryState(contextKey(CONTEXTS.note, { note_id: noteId }))?.dataUpdateCount;
  assert.equal(state(EDITED), 2);
  assert.equal(state(OTHER), 1);
  cleanup();
  queryClient.clear();
});

test("a live mizanInvalidations event invalidates the context query", async () => {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const name = `tanstack-${Date.now()}`;
  function Greeting() {
    useMizanQueryInvalidations();
    const greeting = useQuery(greetContextOptions({ name }, useMizanClient()));
    return createElement("p", null, `computed=${greeting.data?.computed ?? "…"}`);
  }
  render(wrap(queryClient, createElement(Greeting)));
  const computed = () => Number(/computed=(\d+)/.exec(document.body.textContent ?? "")?.[1] ?? 0);
  await waitFor(() => assert.ok(computed() > 0));
  const first = computed();
  // Invalidated through a request this client does not see: only the WebSocket can tell it.
  let poked = 0;
  await waitFor(
    () => {
      if (Date.now() - poked > 500) {
        poked = Date.now();
        void browser.rawGraphQL("mutation($name: String!) { touchGreet(name: $name) }", { name });
      }
      assert.ok(computed() > first);
    },
    { timeout: 10000 },
  );
  cleanup();
  queryClient.clear();
});
