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
