import { useEffect, useRef, useState } from "react";
import { GreetProvider, useCurrentUser, useGreet, usePeople } from "../mizan/react.js";
import { Avatar } from "../components/Avatar";
import { Alert, HowItWorks } from "../components/Notice";

function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** Reads the nearest <GreetProvider>; keeps the last message while the next one loads. */
function Greeting() {
  const { data, loading, error } = useGreet();
  const last = useRef(data);
  if (data !== undefined) last.current = data;
  if (error) return <Alert>{error.message}</Alert>;
  return (
    <p className="greeting" data-testid="greeting" aria-busy={loading}>
      {last.current?.message ?? "…"}
    </p>
  );
}

function GreetingCard({ initialName }: { initialName: string }) {
  const [name, setName] = useState(initialName);
  const settled = useDebounced(name, 250);
  return (
    <section className="card">
      <h2>Greeting</h2>
      <label className="field">
        <span>Your name</span>
        <input
          name="greet-name"
          value={name}
          maxLength={40}
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <GreetProvider name={settled}>
        <Greeting />
      </GreetProvider>
      <HowItWorks>
        A <strong>local context</strong>: <code>{"<GreetProvider name=…>"}</code> fetches{" "}
        <code>greet(name)</code> for the components below it, which read it with{" "}
        <code>useGreet()</code>. Each name is one cached entry on the server.
      </HowItWorks>
    </section>
  );
}

function PeopleCard() {
  const { data, error } = usePeople();
  return (
    <section className="card">
      <h2>People</h2>
      {error && <Alert>{error.message}</Alert>}
      <ul className="people" data-testid="people">
        {data?.people.map((person) => (
          <li key={person.userId}>
            <a href={`/profile/${person.userId}/`}>
              <Avatar name={person.displayName} />
              <span>
                <strong>{person.displayName}</strong>
                <span className="muted">@{person.username}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      <HowItWorks>
        A <strong>public context</strong> (<code>cache="public"</code>), hydrated by this page's
        view and refreshed when a profile changes.
      </HowItWorks>
    </section>
  );
}

export function HomePage({ greetName }: { greetName: string }) {
  const { data: me } = useCurrentUser();
  return (
    <>
      <section className="hero">
        <h1>{me?.isAuthenticated ? `Welcome back, ${me.username}!` : "Welcome to the mizan demo"}</h1>
        <p>
          Every box on these pages is a typed Python function on the server, called from React
          through the generated TypeScript client: no hand-written GraphQL, no fetch calls.
        </p>
        {!me?.isAuthenticated && (
          <p>
            <a className="button primary" href="/login/">
              Sign in
            </a>{" "}
            <span className="muted">to edit your profile and chat.</span>
          </p>
        )}
      </section>
      <div className="grid">
        <GreetingCard initialName={greetName} />
        <PeopleCard />
      </div>
    </>
  );
}
