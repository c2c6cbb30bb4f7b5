// The generated React hooks, rendered (react-test-renderer) against the real server that
// tests/codegen/test_runtime.py starts (MIZAN_URL): effects run, values arrive, invalidations
// re-render, channels deliver, forms validate and submit.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createElement, type ReactNode } from "react";
import TestRenderer, { act, type ReactTestRenderer } from "react-test-renderer";

import { configure, createMizanClient, updateNote } from "../generated/app/index.js";
import { closeWebSocket, useChatChannel } from "../generated/app/channels.js";
import { useContactForm } from "../generated/app/forms.js";
import {
  GreetProvider,
  MizanProvider,
  NoteProvider,
  useCurrentUser,
  useEchoQuery,
  useGreet,
  useNote,
  useUpdateNoteMutation,
  useWhoamiQuery,
} from "../generated/app/react.js";
import { Browser, eventually } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run these tests through tests/codegen/test_runtime.py");

// react-test-renderer (deprecated, but the one DOM-free renderer) warns on every use, and act()
// warns outside a configured test environment; neither says anything about the code tested.
const KNOWN_NOISE = [/^react-test-renderer is deprecated/, /not configured to support act/];
for (const level of ["error", "warn"] as const) {
  const original = console[level];
  console[level] = (...args: unknown[]) => {
    if (typeof args[0] === "string" && KNOWN_NOISE.some((re) => re.test(args[0] as string))) return;
    original(...args);
  };
}

let browser: Browser;
const mounted: ReactTestRenderer[] = [];

before(async () => {
  browser = new Browser(BASE!);
  configure({
    url: `${BASE}/graphql`,
    contextUrl: `${BASE}/graphql/ctx/`,
    wsUrl: `${BASE!.replace(/^http/, "ws")}/graphql`,
    fetch: browser.fetch,
    csrfToken: browser.csrfToken,
    webSocketImpl: browser.webSocket,
  });
  await browser.startSession();
});

after(async () => {
  for (const renderer of mounted) renderer.unmount();
  await closeWebSocket();
});

async function render(element: ReactNode): Promise<ReactTestRenderer> {
  let renderer: ReactTestRenderer | undefined;
  await act(async () => {
    renderer = TestRenderer.create(element as Parameters<typeof TestRenderer.create>[0]);
  });
  mounted.push(renderer!);
  return renderer!;
}

function text(renderer: ReactTestRenderer): string {
  const json = renderer.toJSON();
  const flatten = (node: unknown): string =>
    node === null || node === undefined
      ? ""
      : typeof node === "string"
        ? node
        : Array.isArray(node)
          ? node.map(flatten).join("")
          : flatten((node as { children?: unknown }).children);
  return flatten(json);
}

async function shows(renderer: ReactTestRenderer, expected: string): Promise<void> {
  await eventually(() => (text(renderer).includes(expected) ? true : undefined)).catch(() => {
    throw new Error(`expected ${JSON.stringify(expected)}, rendered ${JSON.stringify(text(renderer))}`);
  });
}

test("a global context hook fetches and renders its value", async () => {
  function Header() {
    const { data, loading } = useCurrentUser();
    return createElement("p", null, loading ? "loading" : `user=${data?.username || "anonymous"}`);
  }
  const renderer = await render(createElement(Header));
  await shows(renderer, "user=anonymous");
});

test("a provider fetches its context for its props; the hook below reads it", async () => {
  function Greeting() {
    return createElement("p", null, useGreet().data?.message ?? "…");
  }
  const renderer = await render(
    createElement(GreetProvider, { name: "Hooks" }, createElement(Greeting)),
  );
  await shows(renderer, "Hello, Hooks!");
  await act(async () => {
    renderer.update(createElement(GreetProvider, { name: "Again" }, createElement(Greeting)));
  });
  await shows(renderer, "Hello, Again!");
});

test("a mutation's invalidation re-renders the mounted named context", async () => {
  function NoteText() {
    return createElement("p", null, useNote().data?.note.text ?? "…");
  }
  await updateNote({ noteId: 3, text: "before" });
  const renderer = await render(createElement(NoteProvider, { noteId: 3 }, createElement(NoteText)));
  await shows(renderer, "before");
  await act(async () => {
    await updateNote({ noteId: 3, text: "after the mutation" });
  });
  await shows(renderer, "after the mutation");
});

test("useChatChannel receives messages and sends its ReactMessage", async () => {
  let send: ((message: { text: string }) => Promise<boolean>) | undefined;
  function Room() {
    const channel = useChatChannel({ room: "hooks" });
    send = channel.send;
    return createElement("ul", null, channel.messages.map((m, i) => createElement("li", { key: i }, m.text)));
  }
  const renderer = await render(createElement(Room));
  await eventually(() => (text(renderer).includes("hi from a hook") ? true : undefined), {
    poke: () => send?.({ text: "hi from a hook" }),
  });
});

test("useContactForm: Zod first, then the server; submit returns the result", async () => {
  let form: ReturnType<typeof useContactForm> | undefined;
  function Contact() {
    form = useContactForm();
    const errors = Object.entries(form.errors.fields).map(([k, v]) => `${k}:${v.join("|")}`);
    return createElement("p", null, errors.join(";"));
  }
  const renderer = await render(createElement(Contact));
  let valid: boolean | undefined;
  await act(async () => {
    valid = await form!.validate();
  });
  assert.equal(valid, false);
  assert.match(text(renderer), /name:This field is required/);
  browser.log.length = 0;
  await act(async () => {
    form!.setValues({ name: "Ada", email: "ada@example.com", topic: "support", agree: true });
  });
  let submission: Awaited<ReturnType<NonNullable<typeof form>["submit"]>>;
  await act(async () => {
    submission = await form!.submit();
  });
  assert.deepEqual(submission!?.result, { sent: true, name: "Ada" });
  assert.deepEqual(form!.result?.result, { sent: true, name: "Ada" });
  assert.equal(text(renderer), "");
  assert.equal(browser.log.length, 1); // Zod passed, one submit
});

test("query and mutation hooks: data, error codes, and the provider's client", async () => {
  // A second client with its own browser: the hooks below its provider use it, not the default.
  const own = new Browser(BASE!);
  await own.startSession();
  const client = createMizanClient({ baseUrl: BASE!, fetch: own.fetch, csrfToken: own.csrfToken, live: false });
  let save: ((text: string) => Promise<unknown>) | undefined;
  let saveState: { loading: boolean; error: string | undefined } | undefined;
  function Panel() {
    const echo = useEchoQuery({ text: "hook", times: 2 });
    const who = useWhoamiQuery();
    const update = useUpdateNoteMutation();
    save = (text) => update.mutate({ noteId: 4, text });
    saveState = { loading: update.loading, error: update.error?.code };
    return createElement(
      "p",
      null,
      `echo=${echo.loading ? "…" : echo.data?.message} who=${who.error?.code ?? who.data ?? "…"} ` +
        `note=${useNote().data?.note.text ?? "…"} saved=${update.data?.text ?? "-"}`,
    );
  }
  await updateNote({ noteId: 4, text: "four" });
  browser.log.length = 0;
  const renderer = await render(
    createElement(MizanProvider, { client }, createElement(NoteProvider, { noteId: 4 }, createElement(Panel))),
  );
  await shows(renderer, "echo=hookhook who=UNAUTHENTICATED note=four saved=-");
  await act(async () => {
    await save!("four, edited by a hook");
  });
  // The mutation's invalidation refreshed the provider's context, through the same client.
  await shows(renderer, "note=four, edited by a hook saved=four, edited by a hook");
  assert.deepEqual(saveState, { loading: false, error: undefined });
  // The default client sent none of it.
  const sent = browser.log.map((r) => `${r.method} ${r.url.search} ${r.body ?? ""}`).join("\n");
  assert.doesNotMatch(sent, /Echo|Whoami|UpdateNote|note_id=4/);
  assert.ok(own.log.some((r) => r.method === "POST" && r.body?.includes("UpdateNote")));
  assert.ok(own.log.some((r) => r.url.pathname.endsWith("/ctx/note/")));
});
