// The graphql-sse npm client (both modes) against two real server processes sharing
// channels_redis: it subscribes on A, the broadcasts are made on B.
// tests/sse/test_graphql_sse_client.py runs it with MIZAN_URL_A and MIZAN_URL_B set.

import assert from "node:assert/strict";
import test from "node:test";
import { createClient } from "graphql-sse";

const A = process.env.MIZAN_URL_A;
const B = process.env.MIZAN_URL_B;
const ORIGIN = "http://localhost:3000";
const NEWS = "subscription { newsChannel { headline } }";

function connect(singleConnection) {
  return createClient({
    url: `${A}/graphql/stream`,
    singleConnection,
    retryAttempts: 0,
    // The server checks the Origin of every request, as for a browser.
    headers: { Origin: ORIGIN },
  });
}

async function publishOnB(headline) {
  const response = await fetch(`${B}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: "mutation ($h: String!) { wsPublishNews(headline: $h) }",
      variables: { h: headline },
    }),
  });
  assert.deepEqual(await response.json(), { data: { wsPublishNews: true } });
}

// The next result of `results`, or null after `ms` (the pending read is kept for next time).
function nextWithin(results, pending, ms) {
  pending.read ??= results.next();
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([pending.read, timeout]).then((value) => {
    clearTimeout(timer);
    if (value !== null) pending.read = undefined;
    return value;
  });
}

// Publish probes on B until the subscription on A receives one (its group is joined), then
// a real headline, which must arrive (after any probes still in flight).
async function receivesFromB(client, headline) {
  const results = client.iterate({ query: NEWS });
  const pending = {};
  try {
    let subscribed = false;
    for (let attempt = 0; attempt < 50 && !subscribed; attempt++) {
      await publishOnB(`probe-${attempt}`);
      subscribed = (await nextWithin(results, pending, 300)) !== null;
    }
    assert.ok(subscribed, "the subscription never received a probe");
    await publishOnB(headline);
    for (let seen = 0; seen < 100; seen++) {
      const next = await nextWithin(results, pending, 10_000);
      assert.ok(next !== null, "the headline never arrived");
      const text = next.value.data.newsChannel.headline;
      if (!text.startsWith("probe-")) return text;
    }
    assert.fail("only probes arrived");
  } finally {
    await results.return?.();
  }
}

test("distinct connections: a broadcast from another process arrives", async () => {
  const client = connect(false);
  try {
    assert.equal(await receivesFromB(client, "distinct"), "distinct");
  } finally {
    client.dispose();
  }
});

test("single connection: a broadcast from another process arrives", async () => {
  const client = connect(true);
  try {
    assert.equal(await receivesFromB(client, "single"), "single");
  } finally {
    client.dispose();
  }
});

test("single connection: queries and subscriptions share the stream", async () => {
  const client = connect(true);
  try {
    const results = client.iterate({ query: "{ wsRequestInfo { authenticated } }" });
    const { value } = await results.next();
    assert.deepEqual(value, { data: { wsRequestInfo: { authenticated: false } } });
    assert.equal((await results.next()).done, true);
    assert.equal(await receivesFromB(client, "after a query"), "after a query");
  } finally {
    client.dispose();
  }
});

// Each client above and below leaves the group as the last subscriber on A, and the next
// one joins it again: round after round, subscriptions keep receiving (the per-process hub
// once went deaf for good after a few such rounds).
test("subscribing again after the last subscriber left, round after round", async () => {
  for (let round = 0; round < 3; round++) {
    for (const single of [false, true]) {
      const client = connect(single);
      try {
        assert.equal(await receivesFromB(client, `round ${round}`), `round ${round}`);
      } finally {
        client.dispose();
      }
    }
  }
});

test("a request from another origin is refused", async () => {
  const client = createClient({
    url: `${A}/graphql/stream`,
    retryAttempts: 0,
    headers: { Origin: "https://evil.example" },
  });
  try {
    await assert.rejects(client.iterate({ query: NEWS }).next(), (error) => {
      assert.equal(error.response?.status ?? error.status, 403);
      return true;
    });
  } finally {
    client.dispose();
  }
});
