import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { MizanError } from "../mizan/index.js";
import { useChatChannel, type ChatChannelMessage } from "../mizan/channels.js";
import { useChatHistoryQuery, useCurrentUser } from "../mizan/react.js";
import { Avatar } from "../components/Avatar";
import { Alert, HowItWorks } from "../components/Notice";

const ROOMS = ["lobby", "random", "help"];

function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function messageOf(error: unknown): string {
  return error instanceof MizanError || error instanceof Error ? error.message : String(error);
}

/** History (a query) and live messages (the channel), once each, in order. */
function merge(history: ChatChannelMessage[], live: ChatChannelMessage[]): ChatChannelMessage[] {
  const byId = new Map<number, ChatChannelMessage>();
  for (const line of [...history, ...live]) byId.set(line.id, line);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

export function ChatPage({ room }: { room: string }) {
  const { data: me } = useCurrentUser();
  const { messages, send, error } = useChatChannel({ room }, { maxMessages: 200 });
  // The generated hook of the plain query chat_history: runs again when the room changes.
  const { data: history, error: historyFailure } = useChatHistoryQuery({ room });
  const historyError = historyFailure ? messageOf(historyFailure) : null;
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);

  const lines = useMemo(() => merge(history ?? [], messages), [history, messages]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "nearest" });
  }, [lines.length]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    setSending(true);
    setSendError(null);
    try {
      await send({ text: value });
      setText("");
    } catch (failure) {
      setSendError(messageOf(failure));
    } finally {
      setSending(false);
    }
  }

  const ready = history !== undefined;
  return (
    <div className="chat-layout">
      <aside className="card rooms">
        <h2>Rooms</h2>
        <ul>
          {ROOMS.map((name) => (
            <li key={name}>
              <a href={`/chat/${name}/`} className={name === room ? "active" : undefined}>
                #{name}
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <section className="card chat" data-ready={ready}>
        <header className="chat-head">
          <h1>#{room}</h1>
          <span className="live-dot">live</span>
        </header>
        <ol className="messages" ref={list} data-testid="messages">
          {lines.map((line) => (
            <li key={line.id} className={line.author === me?.username ? "mine" : undefined}>
              <Avatar name={line.author} size="small" />
              <div>
                <div className="meta">
                  <strong>{line.author}</strong> <time dateTime={line.sent}>{timeOf(line.sent)}</time>
                </div>
                <div className="bubble">{line.text}</div>
              </div>
            </li>
          ))}
        </ol>
        {ready && lines.length === 0 && <p className="muted empty">No messages yet. Say hello!</p>}
        {!ready && !historyError && <p className="muted empty">Loading the conversation…</p>}
        {historyError && <Alert>{historyError}</Alert>}
        {error && <Alert>{error.message}</Alert>}
        {sendError && <Alert>{sendError}</Alert>}
        <form className="composer" onSubmit={submit}>
          <input
            aria-label="Message"
            name="message"
            placeholder={`Message #${room}`}
            value={text}
            maxLength={500}
            autoComplete="off"
            disabled={!ready}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button primary" disabled={!ready || sending || !text.trim()}>
            Send
          </button>
        </form>
        <HowItWorks>
          <code>class ChatChannel(ReactChannel)</code> with <code>Params(room)</code>,{" "}
          <code>DjangoMessage</code> and <code>ReactMessage</code>. <code>useChatChannel({"{ room }"})</code>{" "}
          subscribes over graphql-ws; <code>send()</code> posts a <code>ReactMessage</code>, which the
          server stores and broadcasts to everyone in the room.
        </HowItWorks>
      </section>
    </div>
  );
}
