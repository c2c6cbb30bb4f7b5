// GraphiQL in a real browser, offline and under a strict Content-Security-Policy: Debian's
// Chromium driven by playwright-core.
//
//   GRAPHIQL_URL=http://127.0.0.1:8000/graphql node tests/browser/graphiql.mjs
//
// Run by tests/http/test_graphiql_browser.py against the GraphiQL test project under daphne.
// No host name resolves (--host-resolver-rules) and every request to another origin is
// aborted and recorded, so the page has no internet. The script types a query into
// GraphiQL's editor, runs it and waits for the data. It exits 0 and prints PASSED when that
// worked with no request leaving the site, no policy violation and no page error; 1 with
// what went wrong otherwise. SCREENSHOT (optional) is where to save the final page.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const URL_ = process.env.GRAPHIQL_URL;
const EXECUTABLE = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_TIMEOUT = 30_000;
const QUERY = '{ echo(text: "offline") { message } }';

if (!URL_) {
  console.error("GRAPHIQL_URL is not set");
  process.exit(2);
}
const ORIGIN = new URL(URL_).origin;
const ARGS = [
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
if (typeof process.getuid === "function" && process.getuid() === 0) ARGS.push("--no-sandbox");

const outside = [];
const problems = [];
const dir = await mkdtemp(path.join(tmpdir(), "mizan-graphiql-"));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: EXECUTABLE,
  headless: true,
  args: ARGS,
});
let passed = false;
try {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === ORIGIN) return route.continue();
    outside.push(url);
    return route.abort("internetdisconnected");
  });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__violations.push(`${event.effectiveDirective} refused ${event.blockedURI}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });

  const response = await page.goto(URL_, { waitUntil: "load" });
  const policy = response.headers()["content-security-policy"] || "";
  if (!policy.includes("default-src 'self'")) throw new Error(`no strict policy: ${policy}`);
  const editor = page.locator(".graphiql-query-editor .CodeMirror");
  await editor.waitFor({ state: "visible" });
  console.log("GraphiQL rendered");

  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(QUERY);
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(
    () => (document.querySelector(".graphiql-response")?.innerText ?? "").includes("offline"),
  );
  const shown = await page.locator(".graphiql-response").innerText();
  console.log(`response: ${shown.replace(/\s+/g, " ")}`);
  if (!/"message":\s*"offline"/.test(shown)) throw new Error(`unexpected response: ${shown}`);
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });

  const violations = await page.evaluate(() => window.__violations);
  problems.push(...violations.map((v) => `policy violation: ${v}`));
  problems.push(...outside.map((url) => `request outside the site: ${url}`));
  if (problems.length) throw new Error(problems.join("\n"));
  passed = true;
} catch (error) {
  console.error(`FAILED: ${error.message}`);
} finally {
  await context.close();
  await rm(dir, { recursive: true, force: true });
}
if (passed) console.log("PASSED");
process.exit(passed ? 0 : 1);
