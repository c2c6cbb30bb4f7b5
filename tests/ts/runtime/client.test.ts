// The generated client (tests/codegen_app) against a real server; started by
// tests/codegen/test_runtime.py, which passes its URL in MIZAN_URL.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

import {
  CONTEXTS,
  configure,
  contactValidate,
  contexts,
  createMizanClient,
  echo,
  fail,
  loadCurrentUserContext,
  loadGreetContext,
  loadNoteContext,
  MizanClient,
  MizanError,
  runQuery,
  SERVER,
  shadeEcho,
  updateNote,
  uploadSubmit,
  whoami,
  type OperationSpec,
} from "../generated/app/index.js";
import { closeWebSocket, holdLiveInvalidations, subscribeChatChannel } from "../generated/app/channels.js";
import { chatChannelSend } from "../generated/app/api.js";
import { checkContactForm, type ContactFormValues } from "../generated/app/forms.js";
import { useCurrentUser } from "../generated/app/react.js";
import { Browser, eventually } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run these tests through tests/codegen/test_runtime.py");

let browser: Browser;

function useBrowser(): Browser {
  browser = new Browser(BASE!);
  configure({
    url: `${BASE}/graphql`,
    contextUrl: `${BASE}/graphql/ctx/`,
    wsUrl: `${BASE!.replace(/^http/, "ws")}/graphql`,
    fetch: browser.fetch,
    csrfToken: browser.csrfToken,
    webSocketImpl: browser.webSocket,
    persisted: true,
    live: true,
    hydration: null,
  });
  return browser;
}

before(() => {
  useBrowser();
});

after(async () => {
  await closeWebSocket();
});

test("a query runs as a persisted GET carrying only the generated hash", async () => {
  const b = useBrowser();
  const result = await echo({ text: "ab", times: 2 });
  assert.deepEqual(result, { message: "abab", times: 2, shade: null });
  assert.equal(b.log.length, 1);
  const [request] = b.log;
  assert.equal(request!.method, "GET");
  assert.equal(request!.url.searchParams.get("query"), null);
  const extensions = JSON.parse(request!.url.searchParams.get("extensions")!);
  assert.equal(extensions.persistedQuery.sha256Hash, createHash("sha256").update(
    (await import("../generated/app/operations.js")).OPERATIONS.echo.document,
  ).digest("hex"));
});

test("enums and input objects travel as typed variables", async () => {
  useBrowser();
  const result = await shadeEcho({ shade: "DARK", note: { text: "hi", pinned: true } });
  assert.deepEqual(result, { message: "hi", times: 1, shade: "DARK" });
});

test("an unknown hash falls back to registering the document (APQ), then GET works", async () => {
  const b = useBrowser();
  const document = `query AdHoc${Date.now()} { echo(text: "apq") { message } }`;
  const op: OperationSpec = {
    name: document.split(" ")[1]!,
    kind: "query",
    document,
    sha256: createHash("sha256").update(document).digest("hex"),
    field: "echo",
  };
  const first = await runQuery(op);
  assert.deepEqual(first, { echo: { message: "apq" } });
  assert.deepEqual(b.log.map((r) => [r.method, r.status]), [["GET", 200], ["POST", 200]]);
  const registered = JSON.parse(b.log[1]!.body!);
  assert.equal(registered.query, document);
  assert.equal(registered.extensions.persistedQuery.sha256Hash, op.sha256);
  b.log.length = 0;
  assert.deepEqual(await runQuery(op), { echo: { message: "apq" } });
  assert.deepEqual(b.log.map((r) => r.method), ["GET"]);
});

test("errors are MizanErrors carrying extensions.code", async () => {
  useBrowser();
  await assert.rejects(whoami(), (error: unknown) => {
    assert.ok(error instanceof MizanError);
    assert.equal(error.code, "UNAUTHENTICATED");
    return true;
  });
  await assert.rejects(fail({ code: "NOT_FOUND" }), { name: "MizanError", code: "NOT_FOUND" });
  await assert.rejects(echo({ text: "x", times: 9 }), (error: unknown) => {
    assert.ok(error instanceof MizanError);
    assert.equal(error.code, "BAD_USER_INPUT");
    assert.deepEqual(error.fieldErrors.map((e) => e.path), [["times"]]);
    return true;
  });
});

test("mutations send the CSRF cookie's token; without it Django refuses them", async () => {
  const b = useBrowser();
  await b.startSession();
  assert.ok(b.csrfToken());
  const note = await updateNote({ noteId: 2, text: "csrf ok" });
  assert.deepEqual(note, { noteId: 2, text: "csrf ok" });
  const post = b.log.find((r) => r.method === "POST")!;
  assert.equal(post.headers[SERVER.csrfHeaderName.toLowerCase()], b.csrfToken());

  configure({ csrfToken: () => null });
  await assert.rejects(updateNote({ noteId: 2, text: "no token" }), (error: unknown) => {
    assert.ok(error instanceof MizanError);
    assert.equal(error.code, "CSRF_FAILED");
    assert.equal(error.status, 403);
    return true;
  });
  configure({ csrfToken: b.csrfToken });
  assert.equal((await loadNoteContext({ noteId: 2 })).note.text, "csrf ok");
});

test("a form with a file field is submitted as a GraphQL multipart request", async () => {
  const b = useBrowser();
  await b.startSession();
  const attachment = new File(["hello upload"], "hello.txt", { type: "text/plain" });
  const submission = await uploadSubmit({ data: { title: "Greetings", attachment } });
  assert.deepEqual(submission.fieldErrors, []);
  assert.equal(submission.valid, true);
  assert.deepEqual(submission.result, { title: "Greetings", name: "hello.txt", content: "hello upload" });
  const request = b.log.find((r) => r.method === "POST")!;
  assert.deepEqual(request.formFields, ["operations", "map", "0"]);
  assert.equal(request.headers[SERVER.csrfHeaderName.toLowerCase()], b.csrfToken());

  const missing = await uploadSubmit({ data: { title: "No file" } });
  assert.equal(missing.valid, false);
  assert.deepEqual(missing.fieldErrors.map((e) => e.field), ["attachment"]);
});

const FORM_CASES: ContactFormValues[] = [
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, age: 30, website: "https://example.com/x", code: "ABC12" },
  { name: "  Ada  ", email: " ada@example.com ", topic: "support", agree: true, website: "  ", code: "" },
  { name: "A", email: "ada@example.com", topic: "sales", agree: true },
  { name: "x".repeat(21), email: "ada@example.com", topic: "sales", agree: true },
  { name: "   ", email: "ada@example.com", topic: "sales", agree: true },
  { name: "Ada", email: "not-an-email", topic: "sales", agree: true },
  { name: "Ada", email: "ada@example.com", topic: "marketing", agree: true },
  { name: "Ada", email: "ada@example.com", topic: "", agree: true },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: false },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, age: 17 },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, age: 121 },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, website: "javascript:alert(1)" },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, website: "example" },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, code: "abc12" },
  { name: "Ada", email: "ada@example.com", topic: "sales", agree: true, code: "ABC123" },
  { email: "ada@example.com", topic: "sales", agree: true },
  { name: "", email: "", topic: "", agree: false, age: 5, website: "ftp://", code: "Z" },
];

test("Zod and the server agree on which form inputs are valid, field by field", async () => {
  const b = useBrowser();
  for (const values of FORM_CASES) {
    const local = checkContactForm(values);
    const server = await contactValidate({ data: values });
    const label = JSON.stringify(values);
    assert.equal(local.valid, server.valid, `valid differs for ${label}`);
    assert.deepEqual(
      Object.keys(local.fields).sort(),
      server.fieldErrors.map((e) => e.field).sort(),
      `invalid fields differ for ${label}`,
    );
  }
  // Form data stays out of URLs (and so out of access logs and caches).
  assert.deepEqual(new Set(b.log.map((r) => `${r.method} ${r.url.search}`)), new Set(["POST "]));
});

test("a subscription receives a broadcast; the channel's send mutation broadcasts", async () => {
  const b = useBrowser();
  await b.startSession();
  const received: string[] = [];
  const errors: unknown[] = [];
  const room = `room-${Date.now()}`;
  const stop = subscribeChatChannel({ room }, {
    next: (message) => received.push(message.text),
    error: (error) => errors.push(error),
  });
  try {
    // graphql-transport-ws does not acknowledge a subscription: send until one arrives.
    await eventually(() => (received.length > 0 ? true : undefined), {
      poke: () => chatChannelSend({ room, message: { text: "hello" } }),
    });
    assert.equal(received[0], "hello");
    assert.deepEqual(errors, []);
  } finally {
    stop();
  }
});

/** Subscribe to a chat room; send to it until a message arrives. What the page requested. */
async function chatRoundTrip(b: Browser, client?: MizanClient): Promise<string[]> {
  await b.startSession();
  const received: string[] = [];
  const errors: unknown[] = [];
  const room = `room-${Date.now()}-${Math.random()}`;
  const stop = subscribeChatChannel({ room }, {
    next: (message) => received.push(message.text),
    error: (error) => errors.push(error),
  }, { client });
  try {
    await eventually(() => (received.length > 0 || errors.length > 0 ? true : undefined), {
      poke: () => chatChannelSend({ room, message: { text: "over sse" } }, { client }),
    });
    assert.deepEqual(errors, []);
    assert.equal(received[0], "over sse");
  } finally {
    stop();
  }
  return b.log.map((r) => `${r.method} ${r.url.pathname}`);
}

test("told to, the client subscribes over Server-Sent Events", async () => {
  const b = useBrowser();
  // A browser sends the page's Origin with every POST; Node's fetch does not.
  configure({ transport: "sse", headers: { Origin: BASE! } });
  try {
    const requests = await chatRoundTrip(b);
    assert.ok(requests.includes("POST /graphql/stream"), requests.join(", "));
    assert.deepEqual(b.sent, []); // no WebSocket message
  } finally {
    configure({ transport: "auto", headers: {} });
  }
});

/** A proxy that refuses the upgrade: every socket closes before it opens. */
class RefusedWebSocket extends WebSocket {
  constructor(_url: string | URL, protocols?: string | string[]) {
    super(`${BASE!.replace(/^http/, "ws")}/no-websocket-here`, protocols);
  }
}

test("when the WebSocket cannot connect, the client falls back to Server-Sent Events", async () => {
  const b = useBrowser();
  configure({ transport: "auto", headers: { Origin: BASE! }, webSocketImpl: RefusedWebSocket });
  try {
    const requests = await chatRoundTrip(b);
    assert.ok(requests.includes("POST /graphql/stream"), requests.join(", "));
  } finally {
    await closeWebSocket();
    configure({ headers: {} });
  }
});

test("the SSE fallback belongs to the client whose WebSocket could not connect", async () => {
  const b = useBrowser();
  const options = {
    baseUrl: BASE!,
    fetch: b.fetch,
    csrfToken: b.csrfToken,
    headers: { Origin: BASE! },
    live: false,
  } as const;
  const refused = createMizanClient({ ...options, webSocketImpl: RefusedWebSocket });
  const working = createMizanClient({ ...options, webSocketImpl: b.webSocket });
  try {
    const overSse = await chatRoundTrip(b, refused);
    assert.ok(overSse.includes("POST /graphql/stream"), overSse.join(", "));
    b.log.length = 0;
    // The other client (another request's, under SSR) still uses its WebSocket.
    const overWebSocket = await chatRoundTrip(b, working);
    assert.ok(!overWebSocket.includes("POST /graphql/stream"), overWebSocket.join(", "));
    assert.ok(b.sent.some((message) => message.type === "subscribe"), JSON.stringify(b.sent));
    // Nor did the default client fall back.
    b.sent.length = 0;
    b.log.length = 0;
    const overDefault = await chatRoundTrip(b);
    assert.ok(!overDefault.includes("POST /graphql/stream"), overDefault.join(", "));
    assert.ok(b.sent.some((message) => message.type === "subscribe"), JSON.stringify(b.sent));
  } finally {
    await closeWebSocket(refused);
    await closeWebSocket(working);
  }
});

test("an X-Mizan-Invalidate answer refetches the mounted context", async () => {
  const b = useBrowser();
  await b.startSession();
  const spec = CONTEXTS.note;
  const params = { note_id: 1 };
  assert.equal((await loadNoteContext({ noteId: 1 })).note.text, NOTE_ONE);
  const seen: string[] = [];
  const unsubscribe = contexts.subscribe(spec, params, () => {
    const text = (contexts.snapshot(spec, params).data?.note as { text: string } | undefined)?.text;
    if (text) seen.push(text);
  });
  try {
    const fetchesBefore = b.log.filter((r) => r.url.pathname.includes("/ctx/note/")).length;
    await updateNote({ noteId: 1, text: "changed" });
    const mutation = b.log.find((r) => r.method === "POST")!;
    assert.equal(mutation.invalidate, "note;note_id=1");
    await eventually(() => (seen.includes("changed") ? true : undefined));
    const refetches = b.log.filter((r) => r.url.pathname.includes("/ctx/note/")).length;
    assert.equal(refetches, fetchesBefore + 1);
    assert.equal((await loadNoteContext({ noteId: 1 })).note.text, "changed");
  } finally {
    unsubscribe();
    await updateNote({ noteId: 1, text: NOTE_ONE });
  }
});

const NOTE_ONE = "first";

test("a mizanInvalidations event refetches the mounted context", async () => {
  const b = useBrowser();
  await b.startSession();
  const name = `live-${Date.now()}`;
  const first = await loadGreetContext({ name });
  const spec = CONTEXTS.greet;
  const params = { name };
  const unsubscribe = contexts.subscribe(spec, params, () => {});
  const release = holdLiveInvalidations();
  try {
    const computed = () => (contexts.snapshot(spec, params).data?.greet as { computed: number } | undefined)?.computed;
    // Invalidate through a request the client does not see: only the WebSocket can tell it.
    const touch = () =>
      b.rawGraphQL("mutation($name: String!) { touchGreet(name: $name) }", { name });
    await eventually(() => ((computed() ?? 0) > first.computed ? true : undefined), { poke: touch });
    assert.ok(computed()! > first.computed);
  } finally {
    release();
    unsubscribe();
  }
});

test("the invalidation stream says what the client holds, and follows what it fetches", async () => {
  const b = useBrowser();
  await b.startSession();
  const name = `held-${Date.now()}`;
  const release = holdLiveInvalidations();
  try {
    await loadCurrentUserContext();
    const first = await loadGreetContext({ name });
    const spec = CONTEXTS.greet;
    const unsubscribe = contexts.subscribe(spec, { name }, () => {});
    try {
      // The last subscription holds the private context entry by entry and the public one
      // by name (every greeting is everyone's).
      const holding = await eventually(() => {
        const last = b.sent.filter((m) => m.type === "subscribe").at(-1);
        const held = (last?.payload?.variables as { holding?: unknown[] } | undefined)?.holding;
        return held?.some((h) => JSON.stringify(h) === '{"context":"greet"}') ? held : undefined;
      });
      assert.ok(holding.some((h) => JSON.stringify(h) === '{"context":"current_user","params":{}}'), JSON.stringify(holding));
      assert.ok(holding.every((h) => JSON.stringify(h) !== JSON.stringify({ context: "greet", params: { name } })));
      // The stream subscribed after the greeting was fetched delivers its invalidation.
      const computed = () => (contexts.snapshot(spec, { name }).data?.greet as { computed: number } | undefined)?.computed;
      const touch = () => b.rawGraphQL("mutation($name: String!) { touchGreet(name: $name) }", { name });
      await eventually(() => ((computed() ?? 0) > first.computed ? true : undefined), { poke: touch });
    } finally {
      unsubscribe();
    }
  } finally {
    release();
  }
});

test("hydrated contexts are read first: no request, also when rendering with React", async () => {
  const b = useBrowser();
  const html = await (await b.fetch(`${BASE}/page/`)).text();
  const match = new RegExp(
    `<script id="${SERVER.hydrationElementId}" type="application/json">([^<]*)</script>`,
  ).exec(html);
  assert.ok(match, html);
  const text = match[1]!;
  b.log.length = 0;
  // The script element as a browser would expose it to the generated code.
  (globalThis as { document?: unknown }).document = {
    cookie: "",
    getElementById: (id: string) => (id === SERVER.hydrationElementId ? { textContent: text } : null),
  };
  try {
    configure({});
    const user = await loadCurrentUserContext();
    assert.deepEqual(user, { username: "", isAuthenticated: false });
    assert.equal(b.log.length, 0);
    function Page() {
      const { data, loading } = useCurrentUser();
      return createElement("p", null, loading ? "loading" : `anonymous=${!data?.isAuthenticated}`);
    }
    assert.equal(renderToString(createElement(Page)), "<p>anonymous=true</p>");
    assert.equal(b.log.length, 0);
  } finally {
    delete (globalThis as { document?: unknown }).document;
  }
});
