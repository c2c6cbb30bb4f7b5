// Server-side rendering with one client per request: two users' pages rendered at the same
// time in this one Node process each show their own user only; the browser's client then
// starts from what the server rendered. Started by tests/codegen/test_runtime.py (MIZAN_URL).

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { createElement } from "react";
import { renderToString } from "react-dom/server";

import {
  contexts,
  createMizanClient,
  loadCurrentUserContext,
  loadNoteContext,
  type HydrationData,
  type MizanClient,
} from "../generated/app/index.js";
import { MizanProvider, useCurrentUser, useNoteContext } from "../generated/app/react.js";
import { Browser } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run these tests through tests/codegen/test_runtime.py");

const NOTE = 6; // this file's own note (the test files run at the same time)

before(async () => {
  const setup = new Browser(BASE!);
  await setup.startSession();
  await setup.rawGraphQL("mutation { updateNote(noteId: 6, text: \"sixth\") { noteId } }");
});

function Page() {
  const user = useCurrentUser();
  const note = useNoteContext({ noteId: NOTE });
  return createElement(
    "p",
    null,
    `user=${user.data?.username ?? "(none)"} note=${note.data?.note.text ?? "(none)"}`,
  );
}

/** What a framework's request handler does: a client for this request, load, render. */
async function handle(browser: Browser): Promise<{ html: string; client: MizanClient }> {
  const client = createMizanClient({ baseUrl: BASE!, fetch: browser.fetch, csrfToken: browser.csrfToken, live: false });
  await Promise.all([loadCurrentUserContext({ client }), loadNoteContext({ noteId: NOTE }, { client })]);
  const html = renderToString(createElement(MizanProvider, { client }, createElement(Page)));
  return { html, client };
}

async function signedIn(name: string): Promise<Browser> {
  const browser = new Browser(BASE!);
  const response = await browser.fetch(`${BASE}/login/?name=${name}`);
  assert.equal(response.status, 200, await response.text());
  return browser;
}

test("two users' pages rendered concurrently each show their own user only", async () => {
  const alice = await signedIn("alice");
  const bob = await signedIn("bob");
  // Interleaved requests of both users, several rounds at once.
  const rounds = await Promise.all(
    Array.from({ length: 4 }, (_, i) => handle(i % 2 === 0 ? alice : bob)),
  );
  rounds.forEach(({ html }, i) => {
    const own = i % 2 === 0 ? "alice" : "bob";
    const other = i % 2 === 0 ? "bob" : "alice";
    assert.match(html, new RegExp(`user=${own} note=sixth`));
    assert.doesNotMatch(html, new RegExp(other));
  });
  // Each request's data stayed in its own client: the module's default client holds nothing.
  assert.deepEqual(contexts.held(), []);
  for (const { client } of rounds) assert.equal(client.contexts.held().length, 2);
});

test("the browser's client starts from the server's render: same HTML, no request", async () => {
  const alice = await signedIn("alice");
  const { html, client } = await handle(alice);
  // The page embeds the dehydrated state as JSON; the browser parses it back.
  const state = JSON.parse(JSON.stringify(client.dehydrate())) as HydrationData;
  const browser = new Browser(BASE!);
  const fresh = createMizanClient({ baseUrl: BASE!, fetch: browser.fetch, hydration: state, live: false });
  const again = renderToString(createElement(MizanProvider, { client: fresh }, createElement(Page)));
  assert.equal(again, html);
  assert.equal((await loadCurrentUserContext({ client: fresh })).username, "alice");
  assert.deepEqual(browser.log, []);
});
