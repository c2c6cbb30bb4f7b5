// The generated TypedDocumentNodes (documents.ts) with graphql-request, against the server
// tests/codegen/test_runtime.py starts (MIZAN_URL); and the documents are exactly the
// persisted ones: same AST as graphql-js parses from the generated text, same sha256.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { parse, print } from "graphql";
import { GraphQLClient } from "graphql-request";

import * as documents from "../generated/app/documents.js";
import { EchoDocument, UpdateNoteDocument, WhoamiDocument } from "../generated/app/documents.js";
import { CONTEXT_OPERATIONS, OPERATIONS, SERVER } from "../generated/app/operations.js";
import { Browser } from "./support.js";

const BASE = process.env.MIZAN_URL;
if (!BASE) throw new Error("MIZAN_URL is not set: run these tests through tests/codegen/test_runtime.py");

test("graphql-request runs typed documents: typed variables and results", async () => {
  const browser = new Browser(BASE!);
  await browser.startSession();
  const client = new GraphQLClient(`${BASE}/graphql`, {
    fetch: browser.fetch,
    headers: () => ({ [SERVER.csrfHeaderName]: browser.csrfToken() ?? "" }),
  });
  const data = await client.request(EchoDocument, { text: "ab", times: 2 });
  const message: string = data.echo.message; // typed by the document
  assert.equal(message, "abab");
  assert.deepEqual(data, { echo: { message: "abab", times: 2, shade: null } });
  const saved = await client.request(UpdateNoteDocument, { noteId: 5, text: "via graphql-request" });
  assert.deepEqual(saved.updateNote, { noteId: 5, text: "via graphql-request" });
  await assert.rejects(client.request(WhoamiDocument), (error: unknown) => {
    const errors = (error as { response?: { errors?: { extensions?: { code?: string } }[] } }).response?.errors;
    assert.equal(errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    return true;
  });
});

// Compiled by tsc (test_runtime.py), never called: wrong variables do not type-check.
export function typeErrors(client: GraphQLClient): void {
  // @ts-expect-error times is a number
  void client.request(EchoDocument, { text: "a", times: "2" });
  // @ts-expect-error text is required
  void client.request(EchoDocument, { times: 2 });
  // @ts-expect-error the result has no such field
  void client.request(EchoDocument, { text: "a" }).then((data) => data.echo.nothing);
}

test("each document is the persisted text's AST and carries its sha256", () => {
  const operations = [...Object.values(OPERATIONS), ...Object.values(CONTEXT_OPERATIONS)];
  const exported = documents as unknown as Record<string, { __meta__: { hash: string; operationName: string } }>;
  let checked = 0;
  for (const op of operations) {
    if (op.name === "MizanInvalidations") continue;
    const document = exported[`${op.name}Document`];
    assert.ok(document, `${op.name}Document is exported`);
    const { __meta__, ...ast } = document;
    assert.deepEqual(__meta__, { hash: op.sha256, operationName: op.name });
    assert.equal(createHash("sha256").update(op.document).digest("hex"), op.sha256);
    assert.deepEqual(ast, JSON.parse(JSON.stringify(parse(op.document, { noLocation: true }))));
    assert.equal(print(ast as never), print(parse(op.document)));
    checked++;
  }
  assert.equal(checked, Object.keys(exported).length);
});
