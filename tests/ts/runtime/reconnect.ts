// The generated client reconnects after the server closes its socket with 4503 (the server
// lost its channel layer) and its subscription receives again once the layer is back.
// tests/codegen/test_reconnect.py runs it (node --import tsx runtime/reconnect.ts) against
// a server on a Redis layer of its own, reading the lines this prints: on "MIZAN-READY" it
// stops Redis, on "MIZAN-CLOSED" it starts it again.

import assert from "node:assert/strict";
import { test } from "node:test";

import { configure } from "../generated/app/index.js";
import { closeWebSocket, subscribeChatChannel } from "../generated/app/channels.js";
import { chatChannelSend } from "../generated/app/api.js";
import { Browser, eventually } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run this through tests/codegen/test_reconnect.py");

test("after a close with 4503 the client reconnects and the subscription receives again", async () => {
  const browser = new Browser(BASE);
  const closeCodes: number[] = [];
  const BrowserSocket = browser.webSocket;
  class RecordingSocket extends BrowserSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("close", (event) => closeCodes.push(event.code));
    }
  }
  configure({
    url: `${BASE}/graphql`,
    contextUrl: `${BASE}/graphql/ctx/`,
    wsUrl: `${BASE.replace(/^http/, "ws")}/graphql`,
    fetch: browser.fetch,
    csrfToken: browser.csrfToken,
    webSocketImpl: RecordingSocket,
    persisted: true,
    live: false,
    hydration: null,
  });
  await browser.startSession();
  const received: string[] = [];
  const errors: unknown[] = [];
  const room = `reconnect-${Date.now()}`;
  const stop = subscribeChatChannel({ room }, {
    next: (message) => received.push(message.text),
    error: (error) => errors.push(error),
  });
  // A broadcast fails while the layer is down: keep sending until one arrives.
  const send = (text: string) => async () => {
    try {
      await chatChannelSend({ room, message: { text } });
    } catch {
      // the server has no layer right now
    }
  };
  try {
    await eventually(() => (received.includes("before") ? true : undefined), { poke: send("before") });
    console.log("MIZAN-READY");
    await eventually(() => (closeCodes.includes(4503) ? true : undefined), { timeout: 30000 });
    console.log("MIZAN-CLOSED");
    await eventually(() => (received.includes("after") ? true : undefined), {
      timeout: 60000,
      poke: send("after"),
    });
    assert.deepEqual(errors, []); // the subscription never failed: it was resumed
    assert.ok(closeCodes.every((code) => code === 4503), `close codes: ${closeCodes}`);
  } finally {
    stop();
    await closeWebSocket();
  }
});
