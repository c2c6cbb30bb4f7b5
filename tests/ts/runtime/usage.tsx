// Compile-only: the generated React API as an application uses it (tsc --strict, JSX).
// Type errors here are test failures (tests/codegen/test_runtime.py runs tsc on this file).

import { useState, type ReactNode } from "react";
import { configure, MizanError, type ContactFormInput } from "../generated/app/index.js";
import { useChatChannel, useTickerChannel } from "../generated/app/channels.js";
import { contactFormSchema, useContactForm } from "../generated/app/forms.js";
import {
  GreetProvider,
  NoteProvider,
  useCurrentUser,
  useGreet,
  useNote,
  useNoteContext,
} from "../generated/app/react.js";

configure({ url: "/graphql", live: true });

function Header(): ReactNode {
  const { data, loading, error } = useCurrentUser();
  if (loading) return <span>…</span>;
  if (error instanceof MizanError) return <span>{error.code}</span>;
  const name: string | undefined = data?.username;
  return <span>{data?.isAuthenticated ? name : "anonymous"}</span>;
}

function Greeting(): ReactNode {
  const { data, refetch } = useGreet();
  const computed: number | undefined = data?.computed;
  return <button onClick={() => void refetch()}>{data?.message} {computed}</button>;
}

function NoteText(): ReactNode {
  const { data } = useNote();
  const text: string | undefined = data?.note.text;
  return <p>{text}</p>;
}

function NoteWithoutProvider({ id }: { id: number }): ReactNode {
  return <p>{useNoteContext({ noteId: id }).data?.note.text}</p>;
}

function Contact(): ReactNode {
  const form = useContactForm();
  const email: ContactFormInput["email"] = form.values.email;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void form.submit().then((submission) => submission?.result);
      }}
    >
      <h1>{contactFormSchema.title}</h1>
      <input value={email ?? ""} onChange={(e) => form.setValue("email", e.target.value)} />
      <input type="number" onChange={(e) => form.setValue("age", Number(e.target.value))} />
      {(form.errors.fields.email ?? []).map((message) => (
        <p key={message}>{message}</p>
      ))}
      <button disabled={form.busy}>Send</button>
    </form>
  );
}

function Chat({ room }: { room: string }): ReactNode {
  const { messages, send, error } = useChatChannel({ room }, { maxMessages: 20 });
  const [text, setText] = useState("");
  const ticker = useTickerChannel();
  const price: number | undefined = ticker.messages.at(-1)?.price;
  return (
    <div>
      {messages.map((message, index) => (
        <p key={index}>{message.text}</p>
      ))}
      {error && <p>{error.code}</p>}
      <input value={text} onChange={(e) => setText(e.target.value)} />
      <button onClick={() => void send({ text })}>Send</button>
      <span>{price}</span>
    </div>
  );
}

export function App(): ReactNode {
  return (
    <>
      <Header />
      <GreetProvider name="Ada">
        <Greeting />
      </GreetProvider>
      <NoteProvider noteId={1}>
        <NoteText />
      </NoteProvider>
      <NoteWithoutProvider id={2} />
      <Contact />
      <Chat room="lobby" />
    </>
  );
}
