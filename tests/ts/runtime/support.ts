// A browser-like fetch for Node: a cookie jar, and a log of the requests made.

export interface LoggedRequest {
  method: string;
  url: URL;
  body: string | null;
  /** The body was FormData (a multipart request), with these field names. */
  formFields: string[] | null;
  headers: Record<string, string>;
  status: number;
  invalidate: string | null;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly log: LoggedRequest[] = [];
  /** Every message the page's WebSockets sent, parsed. */
  readonly sent: { type: string; id?: string; payload?: Record<string, unknown> }[] = [];

  constructor(readonly base: string) {}

  fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const headers = new Headers(init?.headers);
    if (this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, signal: init?.signal ?? AbortSignal.timeout(10000) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, index).trim(), pair!.slice(index + 1).trim());
    }
    this.log.push({
      method: init?.method ?? "GET",
      url,
      body: typeof init?.body === "string" ? init.body : null,
      formFields: init?.body instanceof FormData ? [...init.body.keys()] : null,
      headers: Object.fromEntries(headers),
      status: response.status,
      invalidate: response.headers.get("X-Mizan-Invalidate"),
    });
    return response;
  };

  csrfToken = (): string | null => this.cookies.get("csrftoken") ?? null;

  /** A WebSocket class that sends what a browser would: the page's Origin and its cookies. */
  get webSocket(): typeof WebSocket {
    const browser = this;
    return class BrowserWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        const headers: Record<string, string> = { Origin: browser.base };
        if (browser.cookies.size > 0) {
          headers.Cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
        }
        // Node's WebSocket (undici) takes headers in a second-argument object.
        super(url, { protocols, headers } as unknown as string[]);
      }

      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        if (typeof data === "string") browser.sent.push(JSON.parse(data));
        super.send(data);
      }
    };
  }

  /** Start a session and receive the CSRF cookie, as visiting a page would. */
  async startSession(): Promise<void> {
    const response = await this.fetch(`${this.base}/session/`);
    await response.text();
  }

  /** POST a GraphQL document directly (not through the generated client). */
  async rawGraphQL(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
    const response = await this.fetch(`${this.base}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken() ?? "" },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  }
}

/** Wait until `check` returns a value (not undefined), calling `poke` between tries. */
export async function eventually<T>(
  check: () => T | undefined,
  { timeout = 10000, interval = 100, poke }: { timeout?: number; interval?: number; poke?: () => unknown } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastPoke = 0;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    if (poke && Date.now() - lastPoke >= 500) {
      lastPoke = Date.now();
      await poke();
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
