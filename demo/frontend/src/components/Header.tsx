import { useCurrentUser } from "../mizan/react.js";
import { Avatar } from "./Avatar";

const LINKS: [string, string][] = [
  ["/", "Home"],
  ["/chat/", "Chat"],
  ["/contact/", "Contact"],
];

function isActive(here: string, href: string): boolean {
  return href === "/" ? here === "/" || here.startsWith("/profile/") : here.startsWith(href);
}

/**
 * The site header. `useCurrentUser()` reads the global context `current_user`, which the page
 * embedded with {% mizan_hydrate %}: the first render already has the user, no request is made.
 */
export function Header({ csrfToken, graphiql }: { csrfToken: string; graphiql: boolean }) {
  const { data: me, loading } = useCurrentUser();
  const here = window.location.pathname;
  const state = me !== undefined ? "ready" : loading ? "loading" : "error";
  const next = here.startsWith("/login/") ? "" : `?next=${encodeURIComponent(here)}`;
  return (
    <div className="container header-bar" data-state={state}>
      <a className="brand" href="/">
        <span className="brand-mark">m</span>
        mizan <span className="brand-sub">demo</span>
      </a>
      <nav className="nav" aria-label="Main">
        {LINKS.map(([href, label]) => (
          <a key={href} href={href} className={isActive(here, href) ? "active" : undefined}>
            {label}
          </a>
        ))}
        {graphiql && (
          <a href="/graphql" className="nav-tool" title="GraphiQL (DEBUG only)">
            GraphiQL
          </a>
        )}
      </nav>
      <div className="account">
        {me?.isAuthenticated ? (
          <>
            <a className="user-chip" href={`/profile/${me.id}/`} title="Your profile">
              <Avatar name={me.username} size="small" />
              <span data-testid="current-user">{me.username}</span>
            </a>
            <form method="post" action="/logout/">
              <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken} />
              <button type="submit" className="button ghost">
                Sign out
              </button>
            </form>
          </>
        ) : me ? (
          <a className="button light" href={`/login/${next}`} data-testid="sign-in">
            Sign in
          </a>
        ) : null}
      </div>
    </div>
  );
}
