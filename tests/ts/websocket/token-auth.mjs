// The graphql-ws npm client against a real server whose MIZAN["WS_AUTHENTICATE"] reads a
// token from connectionParams (tests/websocket/test_graphql_ws_client.py runs it, with
// MIZAN_URL set to the server).

import assert from "node:assert/strict";
import test from "node:test";
import { createClient } from "graphql-ws";

const url = `${process.env.MIZAN_URL.replace(/^http/, "ws")}/graphql`;
const WHO = "{ wsRequestInfo { username authenticated } }";

// Node's WebSocket (undici) takes headers in a second-argument object; the server checks
// the Origin of every handshake, as for a browser.
class OriginWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, { protocols, headers: { Origin: "http://localhost:3000" } });
  }
}

function connect(connectionParams) {
  return createClient({ url, webSocketImpl: OriginWebSocket, connectionParams, retryAttempts: 0 });
}

async function firstResult(client, query) {
  const results = client.iterate({ query });
  try {
    const { value } = await results.next();
    return value;
  } finally {
    await results.return?.();
  }
}

test("a token in connectionParams signs the socket in", async () => {
  const client = connect({ token: "ann-token" });
  try {
    assert.deepEqual(await firstResult(client, WHO), {
      data: { wsRequestInfo: { username: "ann", authenticated: true } },
    });
  } finally {
    await client.dispose();
  }
});

test("without connectionParams the socket is the session's (anonymous here)", async () => {
  const client = connect(undefined);
  try {
    assert.deepEqual(await firstResult(client, WHO), {
      data: { wsRequestInfo: { username: "", authenticated: false } },
    });
  } finally {
    await client.dispose();
  }
});

test("a refused token closes the socket with 4403", async () => {
  const client = connect({ token: "stolen" });
  try {
    await assert.rejects(firstResult(client, WHO), (event) => {
      assert.equal(event.code, 4403);
      return true;
    });
  } finally {
    await client.dispose();
  }
});
