// Documents as a team using GraphQL Code Generator's client preset writes them. Only read
// by graphql-codegen (tests/persisted/test_trusted_clients.py), which generates ./gql into
// a private directory; this file is never compiled.
import { graphql } from "./gql";

export const NoteText = graphql(`
  query NoteText($noteId: Int!) {
    note(noteId: $noteId) {
      text
    }
  }
`);

export const ShoutTwice = graphql(`
  query ShoutTwice($text: String!) {
    echo(text: $text, times: 2) {
      message
      times
    }
  }
`);
