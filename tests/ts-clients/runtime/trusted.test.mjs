// Third-party clients against a mizan server in trusted mode (run by
// tests/persisted/test_trusted_clients.py, which starts the server and writes the manifests).
//
// MIZAN_URL         the server's origin
// MIZAN_EXPORT      `export_persisted_queries` (mizan format): the generated documents
// TEAM_DOCUMENT     a .graphql file the team wrote, in APOLLO_MANIFEST (trusted by the server)
// APOLLO_MANIFEST   written by @apollo/generate-persisted-query-manifest's CLI
// CODEGEN_MANIFEST  persisted-documents.json written by @graphql-codegen/cli's client preset
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";

// Imported one after the other: @apollo/persisted-query-lists require()s Apollo Client 4.
const apollo3 = await import("@apollo/client-3/core/index.js");
const utilities3 = await import("@apollo/client-3/utilities/index.js");
const { createPersistedQueryLink: persistedLink3 } = await import(
  "@apollo/client-3/link/persisted-queries/index.js"
);
const apollo4 = await import("@apollo/client");
const utilities4 = await import("@apollo/client/utilities");
const { PersistedQueryLink } = await import("@apollo/client/link/persisted-queries");
const { generatePersistedQueryIdsFromManifest } = await import("@apollo/persisted-query-lists");
const { Client, fetchExchange, gql: urqlGql } = await import("@urql/core");
const { persistedExchange } = await import("@urql/exchange-persisted");
const { parse } = await import("graphql");

const URL_ = `${process.env.MIZAN_URL}/graphql`;
const exported = JSON.parse(readFileSync(process.env.MIZAN_EXPORT, "utf8"));
const apolloManifest = JSON.parse(readFileSync(process.env.APOLLO_MANIFEST, "utf8"));
const codegenManifest = JSON.parse(readFileSync(process.env.CODEGEN_MANIFEST, "utf8"));
const teamSource = readFileSync(process.env.TEAM_DOCUMENT, "utf8");

const ECHO = exported.operations.echo.document; // generated: query Echo(...)
const NOTE = exported.contexts.note.document; // generated: query NoteContext(...)
// Not generated, not in any manifest: the server must refuse it.
const UNKNOWN = "query Sneaky($text: String!) { said: echo(text: $text) { message } }";

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

/** fetch, remembering what each request sent. */
function recordingFetch() {
  const sent = [];
  const recorded = async (input, init = {}) => {
    const url = new URL(typeof input === "string" ? input : input.url);
    const body = init.body ? JSON.parse(init.body) : null;
    const params = Object.fromEntries(url.searchParams);
    sent.push({ method: init.method ?? "GET", query: body?.query ?? params.query, body, params });
    return fetch(input, init);
  };
  return { fetch: recorded, sent };
}

function codesOf(error) {
  const errors = error?.graphQLErrors ?? error?.errors ?? [];
  return errors.map((e) => e.extensions?.code);
}

const APOLLOS = [
  {
    name: "Apollo Client 3",
    lib: apollo3,
    utilities: utilities3,
    persisted: (options) => persistedLink3(options),
  },
  {
    name: "Apollo Client 4",
    lib: apollo4,
    utilities: utilities4,
    persisted: (options) => new PersistedQueryLink(options),
  },
];

const everyGenerated = [
  ...Object.values(exported.operations),
  ...Object.values(exported.contexts),
];

for (const { name, lib, persisted, utilities } of APOLLOS) {
  const { ApolloClient, HttpLink, InMemoryCache, gql } = lib;
  const client = (recording, before) => {
    const http = new HttpLink({ uri: URL_, fetch: recording.fetch });
    return new ApolloClient({ link: before ? before.concat(http) : http, cache: new InMemoryCache() });
  };

  test(`${name}, default options: generated documents run (sent with Apollo's __typename)`, async () => {
    const recording = recordingFetch();
    const apollo = client(recording);
    const echo = await apollo.query({ query: gql(ECHO), variables: { text: "hi" } });
    assert.equal(echo.data.echo.message, "hi");
    assert.equal(echo.data.echo.__typename, "EchoOut");
    const note = await apollo.query({ query: gql(NOTE), variables: { noteId: 1 } });
    assert.equal(note.data.note.text, "first");
    assert.equal(recording.sent.length, 2);
    for (const request of recording.sent) {
      assert.match(request.query, /__typename/); // not the exported text: Apollo's own
    }
  });

  test(`${name}: every generated document, as its cache transforms it, is known by hash`, async () => {
    assert.ok(everyGenerated.length >= 15, everyGenerated.length);
    for (const operation of everyGenerated) {
      const { addTypenameToDocument, print } = utilities;
      const sent = print(addTypenameToDocument(parse(operation.document)));
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(sent) } };
      // A GET of the hash alone: found, a query runs (or reports its missing variables),
      // a mutation is refused as a GET (405), a subscription as HTTP (400). Never
      // PersistedQueryNotFound.
      const params = new URLSearchParams({
        extensions: JSON.stringify(extensions),
        operationName: operation.name,
      });
      const response = await fetch(`${URL_}?${params}`, { headers: { Accept: "application/json" } });
      const text = await response.text();
      assert.doesNotMatch(text, /PERSISTED_QUERY_NOT_FOUND|PERSISTED_QUERY_NOT_IN_LIST/, operation.name);
      const expected = { query: [200], mutation: [405], subscription: [400] }[operation.type];
      assert.ok(expected.includes(response.status), `${operation.name}: ${response.status} ${text}`);
    }
  });

  test(`${name}, default options: a team document from an Apollo manifest runs`, async () => {
    const recording = recordingFetch();
    const result = await client(recording).query({
      query: gql(teamSource),
      variables: { name: "Ada", text: "yo" },
    });
    assert.equal(result.data.hello.message, "Hello, Ada!");
    assert.equal(result.data.echo.message, "yo");
    // What Apollo sent is what its manifest generator wrote.
    assert.equal(recording.sent[0].query, apolloManifest.operations[0].body);
  });

  test(`${name}, default options: an unknown document is refused`, async () => {
    const apollo = client(recordingFetch());
    await assert.rejects(
      apollo.query({ query: gql(UNKNOWN), variables: { text: "x" } }),
      (error) => {
        assert.deepEqual(codesOf(error), ["PERSISTED_QUERY_NOT_IN_LIST"]);
        return true;
      },
    );
  });

  test(`${name}, persisted-query link: generated documents run by hash alone, over GET`, async () => {
    const recording = recordingFetch();
    const link = persisted({
      sha256: async (text) => sha256(text),
      useGETForHashedQueries: true,
    });
    const apollo = client(recording, link);
    const echo = await apollo.query({ query: gql(ECHO), variables: { text: "hashed" } });
    assert.equal(echo.data.echo.message, "hashed");
    const team = await apollo.query({
      query: gql(teamSource),
      variables: { name: "Bo", text: "t" },
    });
    assert.equal(team.data.hello.message, "Hello, Bo!");
    // Known at the first hash: no retry with the text.
    assert.deepEqual(
      recording.sent.map((r) => [r.method, r.query]),
      [
        ["GET", undefined],
        ["GET", undefined],
      ],
    );
  });

  test(`${name}, persisted-query link: an unknown document is refused after its hash`, async () => {
    const recording = recordingFetch();
    const apollo = client(recording, persisted({ sha256: async (text) => sha256(text) }));
    await assert.rejects(
      apollo.query({ query: gql(UNKNOWN), variables: { text: "x" } }),
      (error) => {
        assert.deepEqual(codesOf(error), ["PERSISTED_QUERY_NOT_IN_LIST"]);
        return true;
      },
    );
    // PersistedQueryNotFound for the hash, then the text, refused.
    assert.deepEqual(
      recording.sent.map((r) => r.query === undefined),
      [true, false],
    );
  });

  test(`${name}, persisted query list: the manifest's ids are sent and run`, async () => {
    const recording = recordingFetch();
    const link = persisted(
      generatePersistedQueryIdsFromManifest({ loadManifest: async () => apolloManifest }),
    );
    const result = await client(recording, link).query({
      query: gql(teamSource),
      variables: { name: "Cy", text: "m" },
    });
    assert.equal(result.data.hello.message, "Hello, Cy!");
    assert.equal(recording.sent.length, 1);
    assert.equal(recording.sent[0].query, undefined);
    assert.equal(
      recording.sent[0].body.extensions.persistedQuery.sha256Hash,
      apolloManifest.operations[0].id,
    );
  });
}

test("urql with its persisted exchange: generated and team documents run, unknown refused", async () => {
  const recording = recordingFetch();
  const client = new Client({
    url: URL_,
    exchanges: [persistedExchange({ preferGetForPersistedQueries: true }), fetchExchange],
    fetch: recording.fetch,
    requestPolicy: "network-only",
  });
  const echo = await client.query(urqlGql(ECHO), { text: "urql" }).toPromise();
  assert.equal(echo.error, undefined);
  assert.equal(echo.data.echo.message, "urql");
  const team = await client.query(urqlGql(teamSource), { name: "Di", text: "u" }).toPromise();
  assert.equal(team.error, undefined);
  assert.equal(team.data.hello.message, "Hello, Di!");
  const unknown = await client.query(urqlGql(UNKNOWN), { text: "x" }).toPromise();
  assert.deepEqual(codesOf(unknown.error), ["PERSISTED_QUERY_NOT_IN_LIST"]);
  assert.equal(unknown.data, undefined);
  // urql prints and hashes its own way: each first hash is not found, the text follows
  // and runs (a trusted document, differently written) or is refused.
  assert.ok(recording.sent.some((r) => r.query === undefined));
});

// GraphQL Code Generator's client preset: documents carry __meta__.hash (its SHA-1) and the
// client sends it, as the preset's docs show for urql and for a plain fetch.
const codegenDocuments = Object.entries(codegenManifest).map(([hash, body]) => {
  const document = parse(body);
  document.__meta__ = { hash };
  return { hash, body, document, name: document.definitions[0].name.value };
});
const codegen = (name) => codegenDocuments.find((d) => d.name === name);

test("GraphQL Code Generator client preset: its persisted documents run by hash (urql)", async () => {
  const recording = recordingFetch();
  const client = new Client({
    url: URL_,
    exchanges: [
      persistedExchange({
        enforcePersistedQueries: true,
        enableForMutation: true,
        generateHash: async (_, document) => document.__meta__.hash,
      }),
      fetchExchange,
    ],
    fetch: recording.fetch,
    requestPolicy: "network-only",
  });
  const note = await client.query(codegen("NoteText").document, { noteId: 2 }).toPromise();
  assert.equal(note.error, undefined);
  assert.equal(note.data.note.text, "second");
  const shout = await client.query(codegen("ShoutTwice").document, { text: "ab" }).toPromise();
  assert.equal(shout.data.echo.message, "abab");
  // Only the preset's ids were sent, never a document.
  assert.deepEqual(
    recording.sent.map((r) => [r.query, r.body.extensions.persistedQuery.sha256Hash]),
    [
      [undefined, codegen("NoteText").hash],
      [undefined, codegen("ShoutTwice").hash],
    ],
  );
});

async function documentRequest(method, documentId, variables) {
  if (method === "GET") {
    const params = new URLSearchParams({ documentId, variables: JSON.stringify(variables) });
    return fetch(`${URL_}?${params}`, { headers: { Accept: "application/json" } });
  }
  return fetch(URL_, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ documentId, variables }),
  });
}

for (const method of ["GET", "POST"]) {
  test(`documentId over ${method}: a codegen id, "sha256:<hash>" and bare hashes run`, async () => {
    const shout = codegen("ShoutTwice");
    let body = await (await documentRequest(method, shout.hash, { text: "c" })).json();
    assert.deepEqual(body, { data: { echo: { message: "cc", times: 2 } } });
    body = await (await documentRequest(method, `sha256:${sha256(ECHO)}`, { text: "g" })).json();
    assert.equal(body.data.echo.message, "g");
    body = await (await documentRequest(method, sha256(shout.body), { text: "d" })).json();
    assert.equal(body.data.echo.message, "dd");
    body = await (await documentRequest(method, apolloManifest.operations[0].id, {
      name: "Ed",
      text: "e",
    })).json();
    assert.equal(body.data.hello.message, "Hello, Ed!");
  });

  test(`documentId over ${method}: unknown is PERSISTED_QUERY_NOT_FOUND, malformed a 400`, async () => {
    let response = await documentRequest(method, `sha256:${sha256(UNKNOWN)}`, { text: "x" });
    let body = await response.json();
    assert.deepEqual(codesOf(body), ["PERSISTED_QUERY_NOT_FOUND"]);
    assert.equal(body.data, undefined);
    response = await documentRequest(method, "sha256:not-a-hash", {});
    assert.equal(response.status, 400);
    assert.deepEqual(codesOf(await response.json()), ["BAD_REQUEST"]);
  });
}
