// Compile-only: the generated TypedDocumentNodes (documents.ts) in Apollo Client 3 and urql 4,
// and the generated query / mutation hooks. Type errors here are test failures
// (tests/codegen/test_runtime.py runs tsc on this file); each @ts-expect-error must be one.

import { useMutation as useApolloMutation, useQuery as useApolloQuery } from "@apollo/client";
import type { ReactNode } from "react";
import { useQuery as useUrqlQuery } from "urql";

import { EchoDocument, UpdateNoteDocument, WhoamiDocument } from "../generated/app/documents.js";
import { createMizanClient } from "../generated/app/index.js";
import { MizanProvider, useEchoQuery, useUpdateNoteMutation, useWhoamiQuery } from "../generated/app/react.js";

export function ApolloEcho(): ReactNode {
  const { data } = useApolloQuery(EchoDocument, { variables: { text: "hi", times: 2 } });
  const message: string | undefined = data?.echo.message;
  // @ts-expect-error times is a number
  useApolloQuery(EchoDocument, { variables: { text: "hi", times: "2" } });
  const [save] = useApolloMutation(UpdateNoteDocument);
  void save({ variables: { noteId: 1, text: "x" } });
  // @ts-expect-error noteId is required
  void save({ variables: { text: "x" } });
  useApolloQuery(WhoamiDocument);
  return <p>{message}</p>;
}

export function UrqlEcho(): ReactNode {
  const [result] = useUrqlQuery({ query: EchoDocument, variables: { text: "hi" } });
  const message: string | undefined = result.data?.echo.message;
  // @ts-expect-error the result has no such field
  void result.data?.echo.nothing;
  return <p>{message}</p>;
}

export function Hooks(): ReactNode {
  const echo = useEchoQuery({ text: "hi" }, { enabled: true });
  const who = useWhoamiQuery();
  const update = useUpdateNoteMutation();
  const code: string | undefined = echo.error?.code;
  const saved: Promise<{ noteId: number; text: string }> = update.mutate({ noteId: 1, text: "x" });
  void saved;
  // @ts-expect-error variables are required
  useEchoQuery();
  return (
    <p>
      {echo.loading ? "…" : echo.data?.message} {who.data} {code}
    </p>
  );
}

export const app = (
  <MizanProvider client={createMizanClient({ baseUrl: "https://example.com" })}>
    <Hooks />
  </MizanProvider>
);
